/* SPDX-License-Identifier: MIT */
/*
 * Guest of the pass-through APIC scenarios (conformance/src/mp/passthrough.c):
 * a VM whose guest owns the processors' APICs (hv/vm.h apic_passthrough).
 * The bootstrap vCPU starts the others as an operating system does, with
 * the physical APIC's ICR — x2APIC MSR 830h, or the xAPIC page at
 * 0xFEE00000, whichever mode the processor's APIC is in — addressed to
 * the physical APIC IDs the host hands it (VMMCALL MARK_APIC_IDS). The
 * application processors come in through mp_tramp (mp.S) to ap64, which
 * records the APIC ID it finds in its own APIC and halts in the guest.
 */
#include "payload.h"

#define MSR_APIC_BASE   0x1b
#define APIC_BASE_EXTD  0x400
#define MSR_X2APIC_ID   0x802
#define MSR_X2APIC_ICR  0x830
#define XAPIC_PAGE      0xfee00000
#define XAPIC_ID        0x20
#define XAPIC_ICR_LOW   0x300
#define XAPIC_ICR_HIGH  0x310
#define ICR_BUSY        0x1000

#define ICR_INIT        0x4500  /* INIT, assert, edge, physical */
#define ICR_STARTUP     0x4600  /* start-up, assert */

#define NR_APS          3
/* TSC cycles: after INIT, and between the two SIPIs (the SDM's 10 ms and 200 us, scaled down). */
#define DELAY_INIT      200000
#define DELAY_SIPI      20000
#define PATIENCE        0x8000000

PAYLOAD_BEGIN(pt_guest)
PAYLOAD_LABEL(pt_guest, entry)

/* INIT to each AP, then two rounds of SIPI; wait for three boots. */
PAYLOAD_LABEL(pt_guest, boot)
	call .Linit_aps
	mov $2, %r15d
1:	mov .Lsipi_vector(%rip), %edi
	or $ICR_STARTUP, %edi
	call .Lto_aps
	mov $DELAY_SIPI, %r12d
	call .Ldelay
	dec %r15d
	jnz 1b
	call .Ltsc
	lea PATIENCE(%rax), %r14
2:	cmpl $NR_APS, .Lboots(%rip)
	jae .Lsettle
	pause
	call .Ltsc
	cmp %r14, %rax
	jb 2b
	jmp .Ltimeout
	/* Time for a stray second boot to show. */
.Lsettle:
	mov $DELAY_INIT, %r12d
	call .Ldelay
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Lsettle
.Ltimeout:
	mov $MARK_TIMEOUT, %eax
	vmmcall
	jmp .Ltimeout

/* INIT to each AP and no SIPI: the VM ends with them waiting for one. */
PAYLOAD_LABEL(pt_guest, init_only)
	call .Linit_aps
	jmp .Lsettle

/* The APs' APIC IDs from the host, the APIC's mode, INIT to each AP, the wait after it. */
.Linit_aps:
	lea .Lapic_ids(%rip), %rbx
	mov $MARK_APIC_IDS, %eax
	vmmcall
	mov $MSR_APIC_BASE, %ecx
	rdmsr
	and $APIC_BASE_EXTD, %eax
	mov %eax, .Lx2(%rip)
	mov $ICR_INIT, %edi
	call .Lto_aps
	mov $DELAY_INIT, %r12d
	jmp .Ldelay

/* The ICR low half EDI to APs 1..NR_APS. */
.Lto_aps:
	mov $1, %r13d
1:	lea .Lapic_ids(%rip), %rax
	mov (%rax,%r13,4), %esi
	call .Lsend
	inc %r13d
	cmp $NR_APS, %r13d
	jbe 1b
	ret

/* ICR: destination ESI, low half EDI (SDM vol. 3 §10.6.1, §10.12.9). */
.Lsend:
	cmpl $0, .Lx2(%rip)
	je 1f
	mov $MSR_X2APIC_ICR, %ecx
	mov %esi, %edx
	mov %edi, %eax
	wrmsr
	ret
1:	mov $XAPIC_PAGE, %r8d
	mov %esi, %eax
	shl $24, %eax
	mov %eax, XAPIC_ICR_HIGH(%r8)
	mov %edi, XAPIC_ICR_LOW(%r8)
2:	testl $ICR_BUSY, XAPIC_ICR_LOW(%r8)
	jnz 2b
	ret

/* RAX = TSC. */
.Ltsc:
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	ret

/* R12 TSC cycles. */
.Ldelay:
	call .Ltsc
	lea (%rax,%r12), %r12
1:	pause
	call .Ltsc
	cmp %r12, %rax
	jb 1b
	ret

/* Every application processor, in long mode: its APIC ID in the next slot, then halt. */
PAYLOAD_LABEL(pt_guest, ap64)
	mov $MSR_APIC_BASE, %ecx
	rdmsr
	test $APIC_BASE_EXTD, %eax
	jz 1f
	mov $MSR_X2APIC_ID, %ecx
	rdmsr
	jmp 2f
1:	mov $XAPIC_PAGE, %r8d
	mov XAPIC_ID(%r8), %eax
	shr $24, %eax
2:	mov $1, %edx
	lock xadd %edx, .Lboots(%rip)
	cmp $8, %edx
	jae 3f
	lea .Lbooted_ids(%rip), %rdi
	mov %eax, (%rdi,%rdx,4)
3:	hlt
	jmp 3b

	.balign 8
PAYLOAD_LABEL(pt_guest, sipi_vector)
.Lsipi_vector:
	.long 0
.Lx2:
	.long 0
PAYLOAD_LABEL(pt_guest, apic_ids)
.Lapic_ids:
	.fill 16, 4, 0
PAYLOAD_LABEL(pt_guest, boots)
.Lboots:
	.long 0
PAYLOAD_LABEL(pt_guest, booted_ids)
.Lbooted_ids:
	.fill 8, 4, 0
PAYLOAD_END(pt_guest)

	.section .note.GNU-stack, "", @progbits
