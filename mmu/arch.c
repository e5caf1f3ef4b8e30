/* mmu/arch.c: the architecture tables.  Each helper is written as the
 * kernel header cited above its table defines it; the MMU functions say
 * what the hardware's page walk and dirty update see in the same bits. */
#include "mmu/arch.h"
#include "mmu/swap.h"
#include <stdio.h>
#include <string.h>
#include <inttypes.h>

/* ---- x86: arch/x86/include/asm/pgtable.h and pgtable_types.h (the
 * helpers are those of mmu/pte.h; pte_none masks the KNL4 stray A|D,
 * 97e3c602ccbd).  _PAGE_PROTNONE is _PAGE_GLOBAL (bit 8), which no user
 * PTE has: pte_present reads it, the MMU does not; PAGE_NONE is
 * _PAGE_PROTNONE | _PAGE_ACCESSED (pgtable_types.h of v6.x, ___G|___A). ---- */

#define _PAGE_PROTNONE 0x100ull

static int x86_present(pte_t p) { return (p & (_PAGE_PRESENT | _PAGE_PROTNONE)) != 0; }
static int x86_protnone(pte_t p) { return (p & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE; }
static int x86_hw_valid(pte_t p) { return pte_present(p); }
static int x86_write(pte_t p) { return pte_write(p); }
static int x86_dirty(pte_t p) { return pte_dirty(p); }
static int x86_young(pte_t p) { return pte_young(p); }
static int x86_none(pte_t p) { return pte_none(p); }
static pte_t x86_mkclean(pte_t p) { return pte_mkclean(p); }
static pte_t x86_mkdirty(pte_t p) { return pte_mkdirty(p); }
static pte_t x86_wrprotect(pte_t p) { return pte_wrprotect(p); }
static pte_t x86_mkwrite(pte_t p) { return pte_mkwrite(p); }
static pte_t x86_mkyoung(pte_t p) { return pte_mkyoung(p); }
static pte_t x86_mkold(pte_t p) { return pte_mkold(p); }
static int x86_hw_stray(pte_t p) { return !pte_present(p) && (p & (_PAGE_ACCESSED | _PAGE_DIRTY)); }

static const ArchBit x86_bits[] = {
	{ "_PAGE_PRESENT", _PAGE_PRESENT, "P" }, { "_PAGE_RW", _PAGE_RW, "RW" },
	{ "_PAGE_USER", _PAGE_USER, "U" }, { "_PAGE_ACCESSED", _PAGE_ACCESSED, "A" },
	{ "_PAGE_DIRTY", _PAGE_DIRTY, "D" }, { "_PAGE_GLOBAL", _PAGE_PROTNONE, "G" },
	{ "_PAGE_PROTNONE", _PAGE_PROTNONE, NULL },
	/* bit numbers (pgtable_types.h), for test_and_clear_bit */
	{ "_PAGE_BIT_ACCESSED", 5, NULL }, { "_PAGE_BIT_DIRTY", 6, NULL },
	/* protections (pgtable_types.h; _PAGE_NX is not modelled) */
	{ "PAGE_SHARED", 0x27, NULL }, { "PAGE_READONLY", 0x25, NULL }, { "PAGE_COPY", 0x25, NULL },
	{ "PAGE_NONE", _PAGE_PROTNONE | _PAGE_ACCESSED, NULL },
	{ NULL, 0, NULL },
};

/* ---- arm64: arch/arm64/include/asm/pgtable-hwdef.h, pgtable-prot.h and
 * pgtable.h of v6.x, with 143937ca51cc ("arm64, mm: avoid always making
 * PTE dirty in pte_mkwrite()", 2025).  PTE_WRITE is the DBM bit; with
 * FEAT_HAFDBS the hardware's dirty update clears PTE_RDONLY, so a PTE is
 * hardware-dirty when it is writable and not read-only, and pte_dirty()
 * is that or the software PTE_DIRTY.  A PROT_NONE entry is
 * PTE_PRESENT_INVALID (= PTE_NG, "only when !PTE_VALID") without
 * PTE_VALID, PTE_USER and the user's execute permission (55564814a838,
 * "arm64/mm: Move PTE_PRESENT_INVALID to overlay PTE_NG", v6.10, after
 * f0f5863a0fb0 removed PTE_PROT_NONE, bit 58).  Bits 56 and up
 * (PTE_SPECIAL, the uffd-wp bit) are not modelled. ---- */

#define PTE_VALID      (1ull << 0)
#define PTE_TABLE_BIT  (1ull << 1)     /* with PTE_VALID: PTE_TYPE_PAGE */
#define PTE_USER       (1ull << 6)     /* AP[1] */
#define PTE_RDONLY     (1ull << 7)     /* AP[2] */
#define PTE_SHARED     (3ull << 8)     /* SH[1:0], inner shareable */
#define PTE_AF         (1ull << 10)
#define PTE_NG         (1ull << 11)
#define PTE_PRESENT_INVALID PTE_NG     /* only when !PTE_VALID */
#define PTE_DBM        (1ull << 51)
#define PTE_WRITE      PTE_DBM
#define PTE_PXN        (1ull << 53)
#define PTE_UXN        (1ull << 54)
#define PTE_DIRTY      (1ull << 55)    /* software */
#define ARM64_ADDR     0x0000fffffffff000ull   /* output address, bits 12-47 */
#define A64_DEFAULT    (PTE_VALID | PTE_TABLE_BIT | PTE_AF | PTE_SHARED)   /* _PAGE_DEFAULT */

static int a64_write(pte_t p) { return (p & PTE_WRITE) != 0; }
static int a64_hw_dirty(pte_t p) { return a64_write(p) && !(p & PTE_RDONLY); }
static int a64_sw_dirty(pte_t p) { return (p & PTE_DIRTY) != 0; }
/* pte_present: pte_valid || pte_present_invalid */
static int a64_present(pte_t p) { return (p & (PTE_VALID | PTE_PRESENT_INVALID)) != 0; }
static int a64_protnone(pte_t p)
{
	return (p & (PTE_VALID | PTE_PRESENT_INVALID)) == PTE_PRESENT_INVALID && !(p & PTE_USER) && (p & PTE_UXN);
}
static int a64_dirty(pte_t p) { return a64_sw_dirty(p) || a64_hw_dirty(p); }
static int a64_young(pte_t p) { return (p & PTE_AF) != 0; }
static int a64_none(pte_t p) { return p == 0; }
static pte_t a64_mkclean(pte_t p) { return (p & ~PTE_DIRTY) | PTE_RDONLY; }
static pte_t a64_mkdirty(pte_t p)
{
	p |= PTE_DIRTY;
	return a64_write(p) ? p & ~PTE_RDONLY : p;
}
static pte_t a64_wrprotect(pte_t p)
{
	if (a64_hw_dirty(p))
		p |= PTE_DIRTY;
	return (p & ~PTE_WRITE) | PTE_RDONLY;
}
static pte_t a64_mkwrite(pte_t p)
{
	p |= PTE_WRITE;
	return a64_sw_dirty(p) ? p & ~PTE_RDONLY : p;
}
static pte_t a64_mkyoung(pte_t p) { return p | PTE_AF; }
static pte_t a64_mkold(pte_t p) { return p & ~PTE_AF; }
/* The MMU: with DBM a store may go through a read-only entry by
 * clearing PTE_RDONLY (the hardware dirty update). */
static int a64_hw_valid(pte_t p) { return (p & PTE_VALID) != 0; }
static int a64_hw_writable(pte_t p) { return (p & PTE_DBM) || !(p & PTE_RDONLY); }
static int a64_hw_wdirty(pte_t p) { return !(p & PTE_RDONLY); }
static pte_t a64_hw_mkdirty(pte_t p) { return p & ~PTE_RDONLY; }
static int a64_hw_stray(pte_t p) { return !(p & PTE_VALID) && (p & PTE_AF); }

static const ArchBit a64_bits[] = {
	{ "PTE_VALID", PTE_VALID, "VALID" }, { "PTE_TABLE_BIT", PTE_TABLE_BIT, "PAGE" },
	{ "PTE_USER", PTE_USER, "USER" }, { "PTE_RDONLY", PTE_RDONLY, "RDONLY" },
	{ "PTE_SHARED", PTE_SHARED, "SH" }, { "PTE_AF", PTE_AF, "AF" }, { "PTE_NG", PTE_NG, "NG" },
	{ "PTE_WRITE", PTE_WRITE, "WRITE" }, { "PTE_PXN", PTE_PXN, "PXN" }, { "PTE_UXN", PTE_UXN, "UXN" },
	{ "PTE_DIRTY", PTE_DIRTY, "DIRTY" },
	{ "PTE_DBM", PTE_DBM, NULL }, { "PTE_TYPE_PAGE", PTE_VALID | PTE_TABLE_BIT, NULL },
	{ "PTE_PRESENT_INVALID", PTE_PRESENT_INVALID, NULL },
	/* protections (pgtable-prot.h: _PAGE_DEFAULT is PTE_TYPE_PAGE | PTE_AF
	 * | PTE_SHARED; PTE_NG with the user bits) */
	{ "PAGE_SHARED", A64_DEFAULT | PTE_USER | PTE_RDONLY | PTE_NG | PTE_PXN | PTE_UXN | PTE_WRITE, NULL },
	{ "PAGE_READONLY", A64_DEFAULT | PTE_USER | PTE_RDONLY | PTE_NG | PTE_PXN | PTE_UXN, NULL },
	{ "PAGE_COPY", A64_DEFAULT | PTE_USER | PTE_RDONLY | PTE_NG | PTE_PXN | PTE_UXN, NULL },
	{ "PAGE_NONE", (A64_DEFAULT & ~PTE_VALID) | PTE_PRESENT_INVALID | PTE_RDONLY | PTE_NG | PTE_PXN | PTE_UXN, NULL },
	{ NULL, 0, NULL },
};

/* ---- RISC-V: arch/riscv/include/asm/pgtable-bits.h and pgtable.h of
 * v6.x (_PAGE_PROT_NONE is _PAGE_GLOBAL there, and PAGE_NONE is
 * _PAGE_PROT_NONE | _PAGE_READ, since "riscv/mm: Adjust PAGE_PROT_NONE to
 * comply with THP semantics", 5.17; the pfn from bit 10).
 * The hardware bits are the kernel's: A and D, set by Svadu hardware or
 * by the kernel's fault handler under Svade. ---- */

#define RV_V      (1ull << 0)    /* _PAGE_PRESENT */
#define RV_R      (1ull << 1)
#define RV_W      (1ull << 2)
#define RV_X      (1ull << 3)
#define RV_U      (1ull << 4)
#define RV_G      (1ull << 5)
#define RV_A      (1ull << 6)
#define RV_D      (1ull << 7)
#define RV_PROT_NONE RV_G
#define RV_ADDR   0x003ffffffffffc00ull    /* PPN, bits 10-53 */

static int rv_present(pte_t p) { return (p & (RV_V | RV_PROT_NONE)) != 0; }
static int rv_protnone(pte_t p) { return (p & (RV_V | RV_PROT_NONE)) == RV_PROT_NONE; }
static int rv_write(pte_t p) { return (p & RV_W) != 0; }
static int rv_dirty(pte_t p) { return (p & RV_D) != 0; }
static int rv_young(pte_t p) { return (p & RV_A) != 0; }
static int rv_none(pte_t p) { return p == 0; }
static pte_t rv_mkclean(pte_t p) { return p & ~RV_D; }
static pte_t rv_mkdirty(pte_t p) { return p | RV_D; }
static pte_t rv_wrprotect(pte_t p) { return p & ~RV_W; }
static pte_t rv_mkwrite(pte_t p) { return p | RV_W; }
static pte_t rv_mkyoung(pte_t p) { return p | RV_A; }
static pte_t rv_mkold(pte_t p) { return p & ~RV_A; }
static int rv_hw_valid(pte_t p) { return (p & RV_V) != 0; }
static int rv_hw_stray(pte_t p) { return !(p & RV_V) && (p & (RV_A | RV_D)); }

static const ArchBit rv_bits[] = {
	{ "_PAGE_PRESENT", RV_V, "V" }, { "_PAGE_READ", RV_R, "R" }, { "_PAGE_WRITE", RV_W, "W" },
	{ "_PAGE_EXEC", RV_X, "X" }, { "_PAGE_USER", RV_U, "U" }, { "_PAGE_GLOBAL", RV_G, "G" },
	{ "_PAGE_ACCESSED", RV_A, "A" }, { "_PAGE_DIRTY", RV_D, "D" },
	{ "_PAGE_PROT_NONE", RV_PROT_NONE, NULL },
	/* bit numbers (pgtable-bits.h of v6.x), for test_and_clear_bit */
	{ "_PAGE_ACCESSED_OFFSET", 6, NULL },
	/* protections (pgtable.h: _PAGE_BASE is PRESENT | ACCESSED | USER) */
	{ "PAGE_SHARED", RV_V | RV_A | RV_U | RV_R | RV_W, NULL },
	{ "PAGE_READONLY", RV_V | RV_A | RV_U | RV_R, NULL }, { "PAGE_COPY", RV_V | RV_A | RV_U | RV_R, NULL },
	{ "PAGE_NONE", RV_PROT_NONE | RV_R, NULL },
	{ NULL, 0, NULL },
};

static const Arch arches[] = {
	{ "x86", "arch/x86/include/asm/pgtable_types.h and pgtable.h (any version since 2.6)",
	  x86_bits, PTE_PFN_SHIFT, ~PTE_FLAGS_MASK,
	  x86_present, x86_write, x86_dirty, x86_young, x86_none, x86_protnone,
	  x86_mkclean, x86_mkdirty, x86_wrprotect, x86_mkwrite, x86_mkyoung, x86_mkold,
	  x86_hw_valid, x86_write, x86_dirty, x86_mkdirty, x86_mkyoung, x86_hw_stray },
	{ "arm64", "arch/arm64/include/asm/pgtable*.h of v6.10 and later with 143937ca51cc",
	  a64_bits, 12, ARM64_ADDR,
	  a64_present, a64_write, a64_dirty, a64_young, a64_none, a64_protnone,
	  a64_mkclean, a64_mkdirty, a64_wrprotect, a64_mkwrite, a64_mkyoung, a64_mkold,
	  a64_hw_valid, a64_hw_writable, a64_hw_wdirty, a64_hw_mkdirty, a64_mkyoung, a64_hw_stray },
	{ "riscv", "arch/riscv/include/asm/pgtable-bits.h and pgtable.h of v6.x",
	  rv_bits, 10, RV_ADDR,
	  rv_present, rv_write, rv_dirty, rv_young, rv_none, rv_protnone,
	  rv_mkclean, rv_mkdirty, rv_wrprotect, rv_mkwrite, rv_mkyoung, rv_mkold,
	  rv_hw_valid, rv_write, rv_dirty, rv_mkdirty, rv_mkyoung, rv_hw_stray },
};

const Arch *arch_at(int i)
{
	return i >= 0 && i < (int)(sizeof arches / sizeof arches[0]) ? &arches[i] : NULL;
}

int arch_count(void)
{
	return (int)(sizeof arches / sizeof arches[0]);
}

const Arch *arch_find(const char *name)
{
	for (int i = 0; arch_at(i); i++)
		if (!strcmp(arches[i].name, name))
			return &arches[i];
	return NULL;
}

int arch_const(const Arch *a, const char *name, uint64_t *v)
{
	for (const ArchBit *b = a->bits; b->name; b++)
		if (!strcmp(b->name, name)) {
			*v = b->mask;
			return 1;
		}
	return 0;
}

/* The VM_* bits protection_map is indexed by (include/linux/mm.h). */
enum { VMF_READ = 0x1, VMF_WRITE = 0x2, VMF_EXEC = 0x4, VMF_SHARED = 0x8 };

int arch_vm_get_page_prot(const Arch *a, uint64_t vm_flags, pte_t *prot)
{
	const char *name = !(vm_flags & (VMF_READ | VMF_WRITE | VMF_EXEC)) ? "PAGE_NONE"
	                 : !(vm_flags & VMF_WRITE) ? "PAGE_READONLY"
	                 : vm_flags & VMF_SHARED ? "PAGE_SHARED" : "PAGE_COPY";
	if ((vm_flags & VMF_EXEC) && a != &arches[0])
		return -1;                                  /* PAGE_*_EXEC */
	return arch_const(a, name, prot) ? 0 : -1;
}

char *arch_describe(const Arch *a, pte_t p, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	if (swap_is_swap_pte(a, p))
		return swap_describe(a, p, buf, len);
	for (const ArchBit *b = a->bits; b->name; b++)
		if (b->abbrev && (p & b->mask) == b->mask && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "|" : "", b->abbrev);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "%spfn=%" PRIu64, n ? " " : "", arch_pfn(a, p));
	if (a->protnone(p) && n < len)
		snprintf(buf + n, len - n, ", PROT_NONE");
	return buf;
}
