/* SPDX-License-Identifier: MIT */
/*
 * nmi_guest: the guest of the NMI and vNMI scenarios.
 *
 * Main code, from entry:
 *   entry:      nop                      one instruction, for interrupt-shadow cases
 *   main1:      RAX = MARK_MAIN1; VMMCALL
 *               IRETQ to after_iret      an IRET outside any handler (at iret)
 *   after_iret: RAX = MARK_MAIN2; VMMCALL
 *   done:       RAX = MARK_DONE; VMMCALL; loop
 *
 * nmi_handler counts its runs in count, stops at VMMCALL with RAX = MARK_NMI
 * (RAX saved below the IRET frame), then returns with IRETQ at nmi_iret.
 * bad_handler counts too, but replaces the CS of its frame with a selector
 * beyond the GDT limit, so that its IRETQ (bad_iret) raises #GP(0x1230).
 */
#include "payload.h"

#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define BAD_SELECTOR 0x1230

PAYLOAD_BEGIN(nmi_guest)
PAYLOAD_LABEL(nmi_guest, entry)
	nop
PAYLOAD_LABEL(nmi_guest, main1)
	mov $MARK_MAIN1, %eax
	vmmcall
	/* Build an IRET frame returning to after_iret, at CPL 0. */
	mov %rsp, %rcx
	push $SEL_DATA
	push %rcx
	pushfq
	push $SEL_CODE64
	lea .Lafter_iret(%rip), %rcx
	push %rcx
PAYLOAD_LABEL(nmi_guest, iret)
	iretq
.Lafter_iret:
PAYLOAD_LABEL(nmi_guest, after_iret)
	mov $MARK_MAIN2, %eax
	vmmcall
.Ldone:
PAYLOAD_LABEL(nmi_guest, done)
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Ldone

PAYLOAD_LABEL(nmi_guest, nmi_handler)
	push %rax
	incl .Lcount(%rip)
	mov $MARK_NMI, %eax
	vmmcall
	pop %rax
PAYLOAD_LABEL(nmi_guest, nmi_iret)
	iretq

PAYLOAD_LABEL(nmi_guest, bad_handler)
	incl .Lcount(%rip)
	movq $BAD_SELECTOR, 8(%rsp)
PAYLOAD_LABEL(nmi_guest, bad_iret)
	iretq

	.balign 8
.Lcount:
PAYLOAD_LABEL(nmi_guest, count)
	.quad 0
PAYLOAD_END(nmi_guest)

	.section .note.GNU-stack, "", @progbits
