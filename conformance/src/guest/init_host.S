/* SPDX-License-Identifier: MIT */
/*
 * Code of the physical INIT and start-up IPI scenarios (conformance/src/mp/
 * init_host.c).
 *
 * host_sipi: what a start-up IPI runs on a processor that INIT took from
 * the platform. The host copies it to the start of a page below 1 MiB whose
 * number is the vector. In real mode, before it changes anything it looks
 * at, it records the state it started with in its own page, reached through
 * CS (DS is 0 after INIT): EDX, RFLAGS, CS, the offset of its second
 * instruction as CALL pushes it (so the offset it started at), CR0, EFER
 * and the initial APIC ID from CPUID Fn0000_0001 EBX[31:24]. Then it counts
 * its start in `runs` and halts with interrupts off. Its stack is the top
 * of its own page.
 *
 * init_guest: a 64-bit guest that says it runs (`entered`), spins with
 * PAUSE (bounded) so that an INIT can reach its processor in guest mode,
 * then stops at VMMCALL with MARK_TIMEOUT.
 */
#include "payload.h"

#define MSR_EFER 0xc0000080
#define SPIN_LIMIT 2000000

#define AT(label) (label - host_sipi_start)

	.code16
PAYLOAD_BEGIN(host_sipi)
	mov %edx, %edi
	mov %cs, %ax
	mov %ax, %ds
	mov %ax, %ss
	mov $0x1000, %sp
	pushfl
	popl %ecx
	call 1f
PAYLOAD_LABEL(host_sipi, after_call)
1:	pop %bx
	mov %edi, AT(.Lh_edx)
	mov %ecx, AT(.Lh_rflags)
	mov %ax, AT(.Lh_cs)
	mov %bx, AT(.Lh_ip)
	mov %cr0, %eax
	mov %eax, AT(.Lh_cr0)
	mov $MSR_EFER, %ecx
	rdmsr
	mov %eax, AT(.Lh_efer)
	mov $1, %eax
	cpuid
	shr $24, %ebx
	mov %ebx, AT(.Lh_apic_id)
	lock incl AT(.Lh_runs)
2:	cli
	hlt
	jmp 2b

	.balign 4
PAYLOAD_LABEL(host_sipi, runs)
.Lh_runs:	.long 0
PAYLOAD_LABEL(host_sipi, edx)
.Lh_edx:	.long 0
PAYLOAD_LABEL(host_sipi, rflags)
.Lh_rflags:	.long 0
PAYLOAD_LABEL(host_sipi, cs)
.Lh_cs:		.long 0
PAYLOAD_LABEL(host_sipi, ip)
.Lh_ip:		.long 0
PAYLOAD_LABEL(host_sipi, cr0)
.Lh_cr0:	.long 0
PAYLOAD_LABEL(host_sipi, efer)
.Lh_efer:	.long 0
PAYLOAD_LABEL(host_sipi, apic_id)
.Lh_apic_id:	.long 0
PAYLOAD_END(host_sipi)

	.code64
PAYLOAD_BEGIN(init_guest)
PAYLOAD_LABEL(init_guest, entry)
	movl $1, .Lg_entered(%rip)
0:	mov $SPIN_LIMIT, %ecx
1:	pause
	dec %ecx
	jnz 1b
	mov $MARK_TIMEOUT, %eax
	vmmcall
	jmp 0b
	.balign 4
PAYLOAD_LABEL(init_guest, entered)
.Lg_entered:	.long 0
PAYLOAD_END(init_guest)

	.section .note.GNU-stack, "", @progbits
