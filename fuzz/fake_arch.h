/* SPDX-License-Identifier: MIT */
/*
 * A platform behind hv/arch.h for the fuzz targets that run pieces of the
 * hypervisor core without a processor: physical memory is FAKE_RAM_SIZE
 * bytes at address 0, pages come from a pool above it, and every other
 * service of arch.h does nothing or faults. Each input starts from
 * fake_arch_reset(), so runs do not depend on earlier inputs; pages from
 * the pool (nested tables, read-only to what the targets run) may stay
 * from one input to the next until fake_pool_reset().
 */
#ifndef VX_FUZZ_FAKE_ARCH_H
#define VX_FUZZ_FAKE_ARCH_H

#include <stdint.h>

#define FAKE_RAM_SIZE (64u * 1024u)
#define FAKE_POOL_BASE 0x100000u
#define FAKE_POOL_PAGES 16u

/* Zeroes RAM. */
void fake_arch_reset(void);
/* Zeroes the pool and takes every page of it back. */
void fake_pool_reset(void);
/* RAM, FAKE_RAM_SIZE bytes, physical address 0 upwards. */
uint8_t *fake_ram(void);

#endif
