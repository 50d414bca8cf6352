/* SPDX-License-Identifier: MIT */
/*
 * How a VMX guest payload tells the host where it stopped: the mark in
 * RAX, as in an SVM payload, but VMCALL, which exits unconditionally (SDM
 * vol. 3C §26.1.2), instead of VMMCALL, which is #UD on an Intel
 * processor. Only preprocessor definitions: the assembler reads this file
 * too.
 */
#ifndef CONF_GUEST_VMX_PAYLOAD_H
#define CONF_GUEST_VMX_PAYLOAD_H

#include "payload.h"

/* Stop at VMCALL with RAX = mark. */
#define VMX_STOP(mark) mov $(mark), %eax; vmcall

/* What vmx_ap16 (guest/vmx_ap16.S) writes into its page once it runs: "AP16". */
#define VMX_AP16_MARK 0x41503136

/*
 * The common handler the guest builder's per-vector stubs jump to
 * (hv/guest.h): they pushed RAX and loaded RAX = HV_GUEST_EXC_MAGIC |
 * vector. On resumption it returns from the event.
 */
#define VMX_EXC_HANDLER(name)        \
	PAYLOAD_LABEL(name, exc)     \
	PAYLOAD_LABEL(name, exc_vmcall) \
	vmcall;                      \
	pop %rax;                    \
	add $8, %rsp;                \
	iretq

#endif
