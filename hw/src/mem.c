/* SPDX-License-Identifier: MIT */
/*
 * Physical memory for the hypervisor core: pages handed out from a pool in
 * the image's own uninitialised data and, once the pool is used up, from
 * the RAM above the image up to the loader's first hole (hw_mem_init).
 * arch.h has no free: both are taken back whole between scenarios instead
 * (hw_mem_reset, on the BSP with no other processor running a function),
 * once the processor no longer refers to any of it (hw_cpu_reset).
 *
 * boot.S maps the first 4 GiB one to one, 3-4 GiB uncached for devices,
 * so virtual and physical addresses agree; arch_phys_to_virt gives a
 * pointer only below the top of RAM, and never in the device range, so
 * that an address a guest chose cannot make the image touch a page it has
 * not mapped, or a device.
 */
#include "vx/arch.h"
#include "hw.h"

#define PAGE_SIZE 4096u
#define POOL_SIZE (16u * 1024u * 1024u)
/* Where boot.S's uncached device range starts. */
#define RAM_LIMIT (3ull << 30)
/* The arena starts on a 2 MiB boundary, so that large ranges in it can
 * be mapped with 2 MiB pages (nested tables, hv/npt.h). */
#define ARENA_ALIGN (2ull << 20)

extern const char hw_image_end[];

/* .bss.pool is placed outside .bss by hw/linker.ld, at ARCH_ALLOC_BASE
 * (hv/arch.h), so boot.S does not spend time zeroing it; each page is
 * zeroed when it is handed out. */
static uint8_t pool[POOL_SIZE] __attribute__((aligned(PAGE_SIZE), section(".bss.pool")));
static uint64_t pool_used;
/* RAM above the image: [arena_base, arena_base + arena_size). */
static uint64_t arena_base, arena_size, arena_used;
/* Until the loader's memory map is read, all that boot.S maps as RAM. */
static uint64_t ram_top = RAM_LIMIT;

_Static_assert(ARCH_ALLOC_BASE == 0x100000u, "hw/linker.ld places the pool at 1 MiB");

void hw_mem_init(uint64_t top)
{
	uint64_t end = arch_virt_to_phys(hw_image_end);
	uint64_t base = (end + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);

	if (top > RAM_LIMIT)
		top = RAM_LIMIT;
	if (top < end)
		top = end;
	ram_top = top;
	arena_base = base;
	arena_size = top > base ? (top - base) & ~(uint64_t)(PAGE_SIZE - 1) : 0;
}

/* npages from [base, base + size) at the cursor *used, or 0; any processor may
 * allocate, so the cursor moves by compare-exchange. */
static uint64_t take(uint64_t base, uint64_t size, uint64_t *used, uint32_t npages)
{
	uint64_t bytes = (uint64_t)npages * PAGE_SIZE;
	uint64_t u = __atomic_load_n(used, __ATOMIC_RELAXED);

	do {
		if (npages == 0 || bytes > size - u)
			return 0;
	} while (!__atomic_compare_exchange_n(used, &u, u + bytes, true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	memset(arch_phys_to_virt(base + u), 0, (size_t)bytes);
	return base + u;
}

uint64_t arch_pages_alloc(uint32_t npages)
{
	uint64_t pa = take(arch_virt_to_phys(pool), POOL_SIZE, &pool_used, npages);

	return pa ? pa : take(arena_base, arena_size, &arena_used, npages);
}

void hw_mem_reset(void)
{
	pool_used = 0;
	arena_used = 0;
}

uint64_t arch_page_alloc(void)
{
	return arch_pages_alloc(1);
}

void *arch_phys_to_virt(uint64_t pa)
{
	return pa < ram_top ? (void *)(uintptr_t)pa : NULL;
}

uint64_t arch_virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va;
}
