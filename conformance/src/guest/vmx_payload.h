/* SPDX-License-Identifier: MIT */
/*
 * How a VMX guest payload tells the host where it stopped. Guest RAX is
 * not part of the VMCS (SDM vol. 3C §25.4.1) and arch.h does not hand it
 * over, so where an SVM payload puts its mark in RAX and executes VMMCALL,
 * a VMX payload puts it in R15 and executes VMCALL, which exits
 * unconditionally (§26.1.2). Only preprocessor definitions: the assembler
 * reads this file too.
 */
#ifndef CONF_GUEST_VMX_PAYLOAD_H
#define CONF_GUEST_VMX_PAYLOAD_H

#include "payload.h"

/* Stop at VMCALL with R15 = mark. */
#define VMX_STOP(mark) mov $(mark), %r15d; vmcall

/*
 * The common handler the guest builder's per-vector stubs jump to
 * (hv/guest.h): they pushed RAX = HV_GUEST_EXC_MAGIC | vector, which is
 * copied to R15 for the host. On resumption it returns from the event.
 */
#define VMX_EXC_HANDLER(name)        \
	PAYLOAD_LABEL(name, exc)     \
	mov %rax, %r15;              \
	PAYLOAD_LABEL(name, exc_vmcall) \
	vmcall;                      \
	pop %rax;                    \
	add $8, %rsp;                \
	iretq

#endif
