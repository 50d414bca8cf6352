/* SPDX-License-Identifier: MIT */
/*
 * The processor areas and "which processor am I". The areas live in .bss,
 * which boot.S zeroes before it takes area 0's stack; smp.c fills in an
 * application processor's head before it starts that processor.
 */
#include "vx/arch.h"
#include "percpu.h"

struct hw_cpu_area hw_cpu_areas[HW_MAX_CPUS];
struct hw_cpu *hw_cpus[HW_MAX_CPUS];
/* Written by the bootstrap processor during bring-up, before any
 * arch_cpu_start; read-only afterwards. */
uint32_t hw_cpu_online = 1;

uint32_t hw_cpu_initial_apic_id(void)
{
	struct arch_cpuid r;

	arch_cpuid(1, 0, &r);
	return r.ebx >> 24;
}

void hw_percpu_init_bsp(void)
{
	struct hw_cpu *c = &hw_cpu_areas[0].head.cpu;

	c->index = 0;
	c->area = 0;
	c->apic_id = hw_cpu_initial_apic_id();
	c->online = 1;
	c->state = HW_CPU_IDLE;
	hw_cpus[0] = c;
}

uint32_t arch_cpu_index(void)
{
	return hw_cpu_self()->index;
}

uint32_t arch_cpu_count(void)
{
	return hw_cpu_online;
}
