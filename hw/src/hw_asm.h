/* SPDX-License-Identifier: MIT */
/*
 * Facts shared by the image's assembly and C: the GDT layout the boot code
 * builds, the stack sizes, and the exception-fixup table entry.
 *
 * Who may include it: hw/ only (C and .S).
 */
#ifndef HW_ASM_H
#define HW_ASM_H

/* GDT selectors (hw/src/boot.S builds the table). */
#define HW_SEL_CODE64 0x08
#define HW_SEL_DATA   0x10
#define HW_SEL_TSS    0x18 /* 16-byte system descriptor, slots 3 and 4 */
#define HW_GDT_SLOTS  5

#define HW_STACK_SIZE     (64 * 1024)
#define HW_IST_STACK_SIZE (16 * 1024)

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
