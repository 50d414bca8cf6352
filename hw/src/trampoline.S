/* SPDX-License-Identifier: MIT */
/*
 * Where an application processor starts. A Startup IPI with vector
 * HW_SIPI_VECTOR puts it in real mode at CS:IP = (vector << 8):0, which is
 * the copy smp.c makes of hw_trampoline_start..hw_trampoline_end at
 * HW_TRAMPOLINE_PA (SDM vol. 3 §8.4.4.1). From there it climbs the
 * way the bootstrap processor did in boot.S, with the tables the BSP built:
 *
 *   real mode: load the BSP's GDT, set CR0.PE, far jump to 32-bit code;
 *   protected mode: CR4.PAE, CR3 = the BSP's PML4, EFER.LME, CR0.PG
 *     (APM vol. 2 §14.6 "Enabling and Activating Long Mode");
 *   long mode: take the stack smp.c left for this processor's APIC ID and
 *     call hw_ap_main, which loads the IDT and a TSS of its own and parks.
 *
 * Only the real-mode part needs to lie below 1 MiB; it refers to nothing
 * but itself and link-time addresses, so the copy needs no patching.
 */
#include "hw_asm.h"

#define CR4_PAE   0x00000020
#define MSR_EFER  0xc0000080
#define EFER_LME  0x00000100

	.section .rodata, "a"
	.code16
	.balign 16
	.globl hw_trampoline_start
hw_trampoline_start:
	cli
	cld
	/* The processor comes out of INIT with DS = 0; address the copy
	 * through CS, whose base is HW_TRAMPOLINE_PA. */
	movw %cs, %ax
	movw %ax, %ds
	/* With a 32-bit operand size LGDT takes a 32-bit base (SDM vol. 2,
	 * LGDT): the GDT is above 1 MiB, in the image. */
	lgdtl (tramp_gdtr - hw_trampoline_start)
	movl %cr0, %eax
	orl $1, %eax                    /* PE */
	movl %eax, %cr0
	/* A far jump loads CS from the new GDT and leaves real mode. */
	ljmpl $HW_SEL_CODE32, $hw_ap_start32

	.balign 8
tramp_gdtr:
	.word HW_GDT_SLOTS * 8 - 1
	.long hw_gdt
	.globl hw_trampoline_end
hw_trampoline_end:

	.text
	.code32
hw_ap_start32:
	movl $HW_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $hw_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl $HW_CR0_LONG, %eax
	movl %eax, %cr0
	ljmp $HW_SEL_CODE64, $hw_ap_start64

	.code64
hw_ap_start64:
	movl $HW_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	/*
	 * Which processor am I: the initial APIC ID, CPUID Fn0000_0001
	 * EBX[31:24]. The exchange claims the stack smp.c left for that ID in
	 * one locked step, so that a processor arriving after the BSP gave up
	 * on it (and took the stack back the same way) finds 0 and stops here
	 * instead of sharing a stack with the next processor.
	 */
	movl $1, %eax
	cpuid
	shrl $24, %ebx
	xorl %eax, %eax
	xchgq %rax, hw_ap_stacks(,%rbx,8)
	testq %rax, %rax
	jz 1f
	movq %rax, %rsp
	xorl %ebp, %ebp                 /* ends the frame-pointer chain */
	call hw_ap_main
1:	cli
	hlt
	jmp 1b

	.section .note.GNU-stack, "", @progbits
