/* SPDX-License-Identifier: MIT */
/*
 * vmx_ap16: the code a hypervisor starts, in its guest, on the processor a
 * start-up IPI woke (conformance/src/vmx/initsipi_seed.c). The host copies
 * it to the start of the page whose number is the SIPI vector and starts it
 * in real mode at CS = vector << 8, IP = 0. It records CS and the mark in
 * its own page, reached through CS, then stops at VMCALL with MARK_MAIN2.
 */
#include "vmx_payload.h"

#define AT(label) (label - vmx_ap16_start)

	.code16
PAYLOAD_BEGIN(vmx_ap16)
	mov %cs, %ax
	mov %ax, %ds
	mov %ax, AT(.Lcs)
	movl $VMX_AP16_MARK, AT(.Lmark)
	VMX_STOP(MARK_MAIN2)
1:	hlt
	jmp 1b

	.balign 4
PAYLOAD_LABEL(vmx_ap16, mark)
.Lmark:	.long 0
PAYLOAD_LABEL(vmx_ap16, cs)
.Lcs:	.long 0
PAYLOAD_END(vmx_ap16)

	.section .note.GNU-stack, "", @progbits
