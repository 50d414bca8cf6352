/* SPDX-License-Identifier: MIT */
/*
 * Physical memory for the hypervisor core: pages handed out from a pool in
 * the image's own uninitialised data. arch.h has no free: the whole pool is
 * taken back between scenarios instead (hw_mem_reset, on the BSP with no
 * other processor running a function), once the processor no longer refers
 * to any of it (hw_cpu_reset). The first 4 GiB are
 * identity-mapped, so virtual and physical addresses agree.
 */
#include "hv/arch.h"
#include "hw.h"

#define PAGE_SIZE 4096u
#define POOL_SIZE (16u * 1024u * 1024u)

/* .bss.pool is placed outside .bss by hw/linker.ld, so boot.S does not
 * spend time zeroing it; each page is zeroed when it is handed out. */
static uint8_t pool[POOL_SIZE] __attribute__((aligned(PAGE_SIZE), section(".bss.pool")));
static size_t pool_used;

/* Any processor may allocate: the pool's cursor moves by compare-exchange. */
uint64_t arch_pages_alloc(uint32_t npages)
{
	size_t bytes = (size_t)npages * PAGE_SIZE;
	size_t used = __atomic_load_n(&pool_used, __ATOMIC_RELAXED);
	uint8_t *p;

	do {
		if (npages == 0 || bytes > POOL_SIZE - used)
			return 0;
	} while (!__atomic_compare_exchange_n(&pool_used, &used, used + bytes, true,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	p = pool + used;
	memset(p, 0, bytes);
	return arch_virt_to_phys(p);
}

void hw_mem_reset(void)
{
	pool_used = 0;
}

uint64_t arch_page_alloc(void)
{
	return arch_pages_alloc(1);
}

void *arch_phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

uint64_t arch_virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va;
}
