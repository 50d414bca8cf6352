/* SPDX-License-Identifier: MIT */
/*
 * What each processor keeps for itself. Everything that was a single global
 * while the image ran on one processor (its stacks, its TSS, the exception
 * handler's nesting depth, the host-NMI count, the scenario it runs, the
 * guest RAX of its VMX wrapper) lives in its struct hw_cpu, at the bottom of
 * its area (hw_asm.h), where hw_cpu_self() finds it from RSP.
 *
 * Who may include it: hw/ only.
 */
#ifndef HW_PERCPU_H
#define HW_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "hw_asm.h"

/* 64-bit TSS (APM vol. 2 §12.2.5, figure 12-8). */
struct hw_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iopb;
} __attribute__((packed));
_Static_assert(sizeof(struct hw_tss) == 104, "64-bit TSS size");

/* The mailbox of arch_cpu_start (hw/src/smp.c). */
enum hw_cpu_state {
	HW_CPU_IDLE = 0,  /* parked, nothing started or the last fn returned */
	HW_CPU_CLAIMED,   /* a caller is filling in fn and arg */
	HW_CPU_PENDING,   /* fn and arg are published; the processor may take them */
	HW_CPU_RUNNING,   /* the processor is in fn */
	HW_CPU_RESET,     /* an INIT may have taken it: start it again before use */
};

struct hw_cpu {
	uint32_t index;          /* arch_cpu_index() */
	uint32_t apic_id;        /* initial APIC ID, CPUID Fn0000_0001 EBX[31:24] */
	uint32_t area;           /* which of hw_cpu_areas, hence which TSS selector */
	volatile uint32_t host_nmis;
	volatile uint32_t host_irqs;  /* maskable interrupts taken in host mode */
	int trap_depth;          /* hw_trap nesting: a fault while describing one */
	const char *scenario;    /* for crash reports; NULL: none */
	uint64_t boot_ticks;     /* TSC ticks from the first SIPI to parking; 0 for the BSP */
	uint32_t online;         /* set by the processor once it is parked */
	uint32_t state;          /* enum hw_cpu_state, accessed atomically */
	void (*fn)(void *arg);
	void *arg;
	struct hw_tss tss;
};

struct hw_cpu_area {
	union {
		struct hw_cpu cpu;
		uint8_t bytes[HW_CPU_HEAD_SIZE];
	} head;
	uint8_t ist_stack[HW_IST_STACK_SIZE];
	uint8_t stack[HW_CPU_AREA_SIZE - HW_CPU_HEAD_SIZE - HW_IST_STACK_SIZE];
} __attribute__((aligned(HW_CPU_AREA_SIZE)));

_Static_assert(sizeof(struct hw_cpu_area) == HW_CPU_AREA_SIZE, "area size");

/* Area 0 is the bootstrap processor's; boot.S starts on its stack. */
extern struct hw_cpu_area hw_cpu_areas[HW_MAX_CPUS];

/* The processors that reported in, by arch_cpu_index(); hw_cpus[0] is the BSP. */
extern struct hw_cpu *hw_cpus[HW_MAX_CPUS];
extern uint32_t hw_cpu_online;

static inline struct hw_cpu *hw_cpu_self(void)
{
	uintptr_t sp;

	__asm__("mov %%rsp, %0" : "=r"(sp));
	return (struct hw_cpu *)(sp & ~(uintptr_t)(HW_CPU_AREA_SIZE - 1));
}

/* The initial APIC ID of the calling processor (CPUID Fn0000_0001 EBX[31:24]). */
uint32_t hw_cpu_initial_apic_id(void);

/* percpu.c: the bootstrap processor's entry in the tables. */
void hw_percpu_init_bsp(void);

/* cpu.c */
void hw_cpu_init_ap(void);
uint16_t hw_cpu_tss_selector(void);

/* smp.c: starts the application processors; want = cpus= or 0 to ask the
 * processor how many there are. */
void hw_smp_init(uint32_t want);
/* smp.c: an INIT (ICR low icr_low) went to dest through arch_apic_send_ipi. */
void hw_smp_note_init(uint32_t dest, uint32_t icr_low);

/* apic.c: an IPI with nothing else attached (arch_apic_send_ipi notes INITs). */
void hw_apic_send(uint32_t dest, uint32_t icr_low);

/* selftest.c: selftest=smp. */
__attribute__((noreturn)) void hw_selftest_smp(void);

#endif
