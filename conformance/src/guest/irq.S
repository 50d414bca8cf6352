/* SPDX-License-Identifier: MIT */
/*
 * irq_guest: the guest of the interrupt, VINTR, V_TPR and GIF scenarios.
 *
 *   entry:    nop; RAX = MARK_MAIN1; VMMCALL      (an interrupt taken at entry
 *             is taken before the NOP)
 *   cr8:      CR8 = 5; RBX = CR8; RAX = MARK_AFTER; VMMCALL
 *   handler:  counts its runs in count; RAX = MARK_IRQ, VMMCALL; then EOI to
 *             the local APIC at its default address (through the guest's
 *             identity map, so to the physical APIC of the processor);
 *             RAX = MARK_EOI, VMMCALL; IRETQ
 */
#include "payload.h"

#define APIC_EOI_ADDR 0xfee000b0

PAYLOAD_BEGIN(irq_guest)
PAYLOAD_LABEL(irq_guest, entry)
	nop
PAYLOAD_LABEL(irq_guest, main1)
	mov $MARK_MAIN1, %eax
	vmmcall
.Ldone:
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Ldone

PAYLOAD_LABEL(irq_guest, cr8)
	mov $5, %eax
	mov %rax, %cr8
	mov %cr8, %rbx
	mov $MARK_AFTER, %eax
	vmmcall
	jmp .Ldone

PAYLOAD_LABEL(irq_guest, handler)
	push %rax
	push %rdx
	incl .Lcount(%rip)
	mov $MARK_IRQ, %eax
	vmmcall
	/* A 32-bit absolute address would be sign-extended: go through EDX. */
	mov $APIC_EOI_ADDR, %edx
	movl $0, (%rdx)
	mov $MARK_EOI, %eax
	vmmcall
	pop %rdx
	pop %rax
	iretq

	.balign 8
.Lcount:
PAYLOAD_LABEL(irq_guest, count)
	.quad 0
PAYLOAD_END(irq_guest)

	.section .note.GNU-stack, "", @progbits
