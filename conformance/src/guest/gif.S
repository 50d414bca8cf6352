/* SPDX-License-Identifier: MIT */
/*
 * gif_guest: the guest of the scenarios on CLGI and STGI executed by a
 * guest (svm/gif_guest.c).
 *
 *   clgi_stgi: CLGI; STGI; RAX = MARK_AFTER; VMMCALL
 *   held_nmi:  CLGI; a self-NMI through the local APIC's ICR at its default
 *              address (the guest's identity map reaches the processor's
 *              own APIC); two NOPs and a count in `ran`, all with the NMI
 *              held; STGI, after which the NMI is taken; RAX = MARK_AFTER;
 *              VMMCALL
 */
#include "payload.h"

#define APIC_ICR_LOW_ADDR 0xfee00300
/* Destination shorthand self, level assert, delivery mode NMI. */
#define ICR_SELF_NMI 0x44400

PAYLOAD_BEGIN(gif_guest)
PAYLOAD_LABEL(gif_guest, entry)
.Lstop:
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Lstop

PAYLOAD_LABEL(gif_guest, clgi_stgi)
PAYLOAD_LABEL(gif_guest, clgi_insn)
	clgi
PAYLOAD_LABEL(gif_guest, stgi_insn)
	stgi
	mov $MARK_AFTER, %eax
	vmmcall
	jmp .Lstop

PAYLOAD_LABEL(gif_guest, held_nmi)
	clgi
	/* A 32-bit absolute address would be sign-extended: go through EDX. */
	mov $APIC_ICR_LOW_ADDR, %edx
	movl $ICR_SELF_NMI, (%rdx)
	nop
	nop
	incl .Lran(%rip)
	stgi
PAYLOAD_LABEL(gif_guest, after_stgi)
	mov $MARK_AFTER, %eax
	vmmcall
	jmp .Lstop

	.balign 8
.Lran:
PAYLOAD_LABEL(gif_guest, ran)
	.quad 0
PAYLOAD_END(gif_guest)

	.section .note.GNU-stack, "", @progbits
