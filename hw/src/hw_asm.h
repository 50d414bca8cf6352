/* SPDX-License-Identifier: MIT */
/*
 * Facts shared by the image's assembly and C: the GDT layout the boot code
 * builds, the per-processor areas, the application-processor trampoline,
 * and the exception-fixup table entry.
 *
 * Who may include it: hw/ only (C and .S).
 */
#ifndef HW_ASM_H
#define HW_ASM_H

/* Processors the image can run on; more are left in wait-for-SIPI. */
#define HW_MAX_CPUS 16

/*
 * GDT selectors (hw/src/boot.S builds the table). The 32-bit code segment is
 * only used by application processors on their way from real mode to long
 * mode (hw/src/trampoline.S). Each processor has its own TSS, because LTR
 * marks the descriptor busy and each TSS holds that processor's IST stack:
 * area a's 16-byte system descriptor takes slots 4 + 2a and 5 + 2a.
 */
#define HW_SEL_CODE64 0x08
#define HW_SEL_DATA   0x10
#define HW_SEL_CODE32 0x18
#define HW_SEL_TSS0   0x20
#define HW_SEL_TSS(area) (HW_SEL_TSS0 + 16 * (area))
#define HW_GDT_SLOTS  (4 + 2 * HW_MAX_CPUS)

/*
 * Each processor owns one naturally aligned area: its struct hw_cpu at the
 * bottom (hw/src/percpu.h), then its IST stack, then its stack. Rounding
 * RSP down to the area size therefore finds the running processor's data
 * from either stack, whatever a scenario left in GS or FS.
 */
#define HW_CPU_AREA_SIZE  (128 * 1024)
#define HW_CPU_HEAD_SIZE  4096
#define HW_IST_STACK_SIZE (16 * 1024)

/*
 * The real-mode entry of the application processors is copied to this page
 * below 1 MiB; a Startup IPI with vector v starts a processor at CS:IP =
 * v << 8 : 0, that is at physical v << 12 (SDM vol. 3 §8.4.4.1).
 */
#define HW_TRAMPOLINE_PA 0x8000
#define HW_SIPI_VECTOR   (HW_TRAMPOLINE_PA >> 12)

/* CR0 in long mode, for the bootstrap and the application processors:
 * PG, WP, NE, ET, MP and PE; caches on (CD = NW = 0). */
#define HW_CR0_LONG 0x80010033

/* Each interrupt stub is this many bytes apart (hw/src/isr.S). */
#define HW_ISR_STUB_SIZE 16

/* isa-debug-exit port used by QEMU (-device isa-debug-exit,iobase=0xf4). */
#define HW_DEBUG_EXIT_PORT 0xf4

#ifdef __ASSEMBLER__
/*
 * HW_FIXUP insn, fixup: if the instruction at label `insn` raises an
 * exception that an instruction can raise on its own (see hw/src/trap.c),
 * the trap handler resumes at `fixup` with RAX = ARCH_FAULT(vector) and
 * every other register as it was at the fault.
 */
#define HW_FIXUP(insn, fixup)           \
	.pushsection hw_fixup, "a";     \
	.balign 8;                      \
	.quad insn, fixup;              \
	.popsection
#endif

#endif
