/* SPDX-License-Identifier: MIT */
/*
 * insn_bytes_guest: the guest of the decode-assist scenarios
 * (conformance/src/svm/npt_insn_bytes.c). Its code is written as bytes,
 * so that the scenario can name the exact 15 the processor must store.
 *
 *   load:  a load from 30h(%rbx) (RBX = an address the nested tables leave
 *          out: #NPF), then VMMCALL and two MOVs never reached
 *   call:  VMMCALL
 */
#include "payload.h"

PAYLOAD_BEGIN(insn_bytes_guest)
PAYLOAD_LABEL(insn_bytes_guest, entry)
PAYLOAD_LABEL(insn_bytes_guest, load)
	.byte 0x8b, 0x43, 0x30              /* mov 0x30(%rbx), %eax */
	.byte 0x0f, 0x01, 0xd9              /* vmmcall */
	.byte 0xb8, 0x41, 0x42, 0x43, 0x44  /* mov $0x44434241, %eax */
	.byte 0xb9, 0x45, 0x46, 0x47, 0x48  /* mov $0x48474645, %ecx */
.Lstop:
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Lstop
PAYLOAD_LABEL(insn_bytes_guest, call)
	vmmcall
	jmp .Lstop
PAYLOAD_END(insn_bytes_guest)

	.section .note.GNU-stack, "", @progbits
