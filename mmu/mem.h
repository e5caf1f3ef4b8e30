/* mmu/mem.h: struct page, files, page cache, disk and spinlocks: the
 * memory side of the machine state.  Elements are plain fixed-width structs
 * so a whole world can be copied with memcpy and hashed byte for byte
 * (every padding byte is zeroed by the world's creator and never written). */
#ifndef TLBSIM_MEM_H
#define TLBSIM_MEM_H
#include <stdint.h>
#include "mmu/pte.h"

#define PG_locked    0x01  /* page lock held (sleeping lock) */
#define PG_dirty     0x02  /* struct page says: must be written back */
#define PG_writeback 0x04  /* write-back I/O in flight */
#define PG_uptodate  0x08
#define PG_anon      0x10  /* PageAnon(): page->mapping is an anon_vma
                              (PAGE_MAPPING_ANON), set by the first
                              page_add_anon_rmap */
#define PG_swapbacked 0x20 /* PageSwapBacked(): an anonymous page reclaim
                              must swap out; cleared for a lazily freed one
                              (MADV_FREE), which reclaim may discard */

#define PG_swapcache 0x40  /* PageSwapCache(): the page is in the swap cache;
                              PageState.index holds its swap offset
                              (page->private, the swp_entry_t) */
#define SWAP_HAS_CACHE 0x40 /* SwapSlot.map: the slot's page is in the swap
                              cache (include/linux/swap.h) */

#define FRAME_FREE   0x01  /* PageState.frame: the frame (a DAX block) was freed */

/* struct page and the content of the frame it describes. */
typedef struct PageState {
	uint32_t data;     /* content version: bumped by every write to the frame */
	uint8_t  flags;    /* PG_* */
	uint8_t  locker;   /* CPU + 1 holding PG_locked (0: none) */
	uint8_t  skey;     /* storage-key change bit (s390): set by any write
	                      under a DM_STORAGE_KEY model */
	uint8_t  frame;    /* FRAME_* */
	uint16_t mapping;  /* page->mapping: file + 1 whose page cache (a DAX
	                      block: block map) holds it; 0: none */
	uint16_t index;    /* page->index in that file (0 when none) */
	int16_t  count;    /* page_count(): page->_refcount (sim/page.c) */
	int16_t  mapcount; /* page_mapcount(): page->_mapcount + 1 */
} PageState;

/* A file (its inode and address_space). */
typedef struct FileState {
	uint32_t i_size;   /* bytes */
	uint32_t mtime;    /* bumped by file_update_time; starts at 0 */
	uint64_t i_mmap_readers;  /* CPUs holding i_mmap_rwsem for read */
	uint8_t  i_mmap_writer;   /* CPU + 1 holding it for write (0: none) */
	uint8_t  mapped_write;    /* a user store changed the file's data
	                             through a mapping (for mtime_missed) */
	uint16_t pad;
	uint32_t pad2;
} FileState;

/* An mm (struct mm_struct): its mmap_lock (mmap_sem before 5.8), a
 * sleeping read-write semaphore, and mm->tlb_flush_pending.  Invariant:
 * mmap_writer != 0 implies mmap_readers == 0 (the steps that take it wait
 * until it is free enough); tlb_flush_pending >= 0 (a dec below 0 is a
 * scenario error). */
typedef struct MmState {
	uint64_t mmap_readers;    /* CPUs holding mmap_lock for read */
	uint8_t  mmap_writer;     /* CPU + 1 holding it for write (0: none) */
	uint8_t  pad[3];
	int32_t  tlb_flush_pending; /* flushes of changed PTEs on their way
	                               (inc_tlb_flush_pending, sim/flush.c) */
} MmState;

/* A slot of the swap device (swap type 0), by offset; offset 0 is the
 * swap header and never used.  map is swap_map[offset]: the count of swap
 * PTEs (and other references) to the slot, plus SWAP_HAS_CACHE; a slot is
 * free when map is 0.  Invariant: cache != 0 exactly when map has
 * SWAP_HAS_CACHE and that page is PG_swapcache with index == offset. */
typedef struct SwapSlot {
	uint8_t  map;      /* swap_map[offset] */
	uint8_t  pad;
	uint16_t cache;    /* the pfn in the swap cache for it (0: none) */
	uint32_t data;     /* content version on the swap device */
} SwapSlot;

/* A view of the memory part of one world (pointers into its blob). */
typedef struct Mem {
	pte_t     *pte;    /* [npte] page-table entries */
	PageState *page;   /* [npages + 1], indexed by pfn; [0] unused */
	FileState *file;   /* [nfiles] */
	uint16_t  *pcache; /* [nslots] page cache: file page -> pfn (0: none) */
	uint32_t  *disk;   /* [nslots] content version on disk */
	uint8_t   *lock;   /* [nlocks] spinlock holder CPU + 1 (0: free) */
	uint64_t  *var;    /* [nvars] scenario state variables */
	MmState   *mm;     /* [nmms] */
	uint64_t  *vm_flags; /* [nvmas] vma->vm_flags (VM_*), the mutable part
	                        of a VMA; the rest is static (VmaDesc) */
	SwapSlot  *swap;   /* [nswap + 1] by offset, [0] unused; NULL: no swap */
} Mem;

/* Sets PG_dirty; returns 1 if it was clear (set_page_dirty). */
int mem_set_page_dirty(PageState *pg);
/* Clears PG_dirty; returns its old value (TestClearPageDirty). */
int mem_test_clear_dirty(PageState *pg);
/* Takes the page lock for cpu if free; returns 1 on success. */
int mem_trylock_page(PageState *pg, int cpu);
/* Releases the page lock; returns 0, or -1 if cpu does not hold it. */
int mem_unlock_page(PageState *pg, int cpu);
/* The write I/O: the disk copy of slot gets the frame's content now. */
void mem_submit_bio(Mem *m, int pfn, int slot);
/* Spinlocks: take (1 on success), release (-1 if not the holder). */
int mem_spin_trylock(Mem *m, int lock, int cpu);
int mem_spin_unlock(Mem *m, int lock, int cpu);

#endif
