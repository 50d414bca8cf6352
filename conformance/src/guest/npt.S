/* SPDX-License-Identifier: MIT */
/*
 * npt_guest: the guest of the nested-paging scenarios. RBX holds the
 * guest-physical address under test (the guest's own paging is identity).
 *
 *   load:  RAX = [RBX]; VMMCALL (the value is in RAX)
 *   store: [RBX] = RAX; RAX = MARK_AFTER; VMMCALL
 */
#include "payload.h"

PAYLOAD_BEGIN(npt_guest)
PAYLOAD_LABEL(npt_guest, entry)
PAYLOAD_LABEL(npt_guest, load)
	mov (%rbx), %rax
	vmmcall
.Lstop:
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Lstop
PAYLOAD_LABEL(npt_guest, store)
	mov %rax, (%rbx)
	mov $MARK_AFTER, %eax
	vmmcall
	jmp .Lstop
PAYLOAD_END(npt_guest)

	.section .note.GNU-stack, "", @progbits
