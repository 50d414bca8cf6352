/* SPDX-License-Identifier: MIT */
/*
 * Guest of the TSC-deadline timer scenarios (conformance/src/mp/tsc_deadline.c)
 * and bench (tsc_deadline_bench.c):
 * one vCPU of a VM, in long mode, its virtual APIC in x2APIC mode. Each
 * entry writes what it saw into the data at the end and stops with
 * VMMCALL MARK_DONE, or MARK_TIMEOUT when a wait bounded by the TSC ran
 * out. Waits read the TSC, which no backend intercepts, so they last as
 * long on every platform whatever an instruction costs.
 *
 * Vector 51h is timer_handler (counts, keeps the TSC of its first run,
 * EOIs); vector 13 (#GP) is gp_handler, which counts and resumes past the
 * two-byte RDMSR/WRMSR that raised it.
 */
#include "payload.h"

#define MSR_X2APIC_EOI  0x80b
#define MSR_X2APIC_SVR  0x80f
#define MSR_X2APIC_LVTT 0x832
#define MSR_TSC_DEADLINE 0x6e0

#define TIMER_VECTOR    0x51
#define LVTT_ONESHOT    0x00000
#define LVTT_PERIODIC   0x20000
#define LVTT_DEADLINE   0x40000
#define LVT_MASKED      0x10000
/* How far ahead a deadline is armed, and how long after it a wait gives up (TSC cycles). */
#define DELAY           20000
#define PATIENCE        0x4000000
#define FAR             0x10000000000

/* WRMSR msr, value (64-bit immediate or register other than RAX, RCX, RDX). */
#define WR(msr, value) \
	mov $(msr), %ecx; mov value, %rax; mov %rax, %rdx; shr $32, %rdx; wrmsr
/* RDMSR msr into the 64-bit datum at label. */
#define RD(msr, label) \
	mov $(msr), %ecx; rdmsr; shl $32, %rdx; or %rdx, %rax; mov %rax, label(%rip)

PAYLOAD_BEGIN(tsc_guest)
PAYLOAD_LABEL(tsc_guest, entry)

/* CPUID.01H:ECX, then a read and a write of IA32_TSC_DEADLINE (the LVT timer as reset left it). */
PAYLOAD_LABEL(tsc_guest, probe)
	mov $1, %eax
	cpuid
	mov %ecx, .Lcpuid_ecx(%rip)
	RD(MSR_TSC_DEADLINE, .Lread0)
	WR(MSR_TSC_DEADLINE, $1)
	jmp .Ldone

/*
 * A deadline DELAY ahead, reached while the guest spins with IF = 1 and no
 * exit; then one written at the current TSC, which is already past.
 */
PAYLOAD_LABEL(tsc_guest, spin)
	call .Larm_ahead
	RD(MSR_TSC_DEADLINE, .Lread0)
	sti
	mov $1, %r13d
	call .Lwait_count
	RD(MSR_TSC_DEADLINE, .Lread1)
	call .Ltsc
	mov %rax, %r12
	WR(MSR_TSC_DEADLINE, %r12)
	mov $2, %r13d
	call .Lwait_count
	/* Nothing more comes: wait DELAY past the last deadline. */
	call .Ltsc
	lea DELAY(%rax), %r12
	call .Lwait_tsc
	cli
	jmp .Ldone

/* A deadline DELAY ahead, then HLT with IF = 1: the timer ends the halt. */
PAYLOAD_LABEL(tsc_guest, halt)
	call .Larm_ahead
	sti
	hlt
	cli
	mov .Lirq_count(%rip), %eax
	mov %eax, .Lwoke(%rip)
	jmp .Ldone

/*
 * The MSR's rules (facts §(e)): read0 after a write in one-shot mode;
 * read1 once in TSC-deadline mode; read2 armed; read3 after the mode went
 * to periodic and back; read4 after writing 0; read5 after a masked
 * deadline passed, and the handler count then and after unmasking.
 */
PAYLOAD_LABEL(tsc_guest, rules)
	call .Lenable
	WR(MSR_X2APIC_LVTT, $(LVTT_ONESHOT | TIMER_VECTOR))
	WR(MSR_TSC_DEADLINE, $1)
	RD(MSR_TSC_DEADLINE, .Lread0)
	WR(MSR_X2APIC_LVTT, $(LVTT_DEADLINE | TIMER_VECTOR))
	RD(MSR_TSC_DEADLINE, .Lread1)
	call .Ltsc
	mov $FAR, %r12
	add %rax, %r12
	mov %r12, .Ldeadline(%rip)
	WR(MSR_TSC_DEADLINE, %r12)
	RD(MSR_TSC_DEADLINE, .Lread2)
	WR(MSR_X2APIC_LVTT, $(LVTT_PERIODIC | TIMER_VECTOR))
	WR(MSR_X2APIC_LVTT, $(LVTT_DEADLINE | TIMER_VECTOR))
	RD(MSR_TSC_DEADLINE, .Lread3)
	WR(MSR_TSC_DEADLINE, %r12)
	WR(MSR_TSC_DEADLINE, $0)
	RD(MSR_TSC_DEADLINE, .Lread4)
	WR(MSR_X2APIC_LVTT, $(LVTT_DEADLINE | LVT_MASKED | TIMER_VECTOR))
	call .Ltsc
	lea DELAY(%rax), %r12
	WR(MSR_TSC_DEADLINE, %r12)
	sti
	add $DELAY, %r12
	call .Lwait_tsc
	RD(MSR_TSC_DEADLINE, .Lread5)
	mov .Lirq_count(%rip), %eax
	mov %eax, .Lcount_masked(%rip)
	WR(MSR_X2APIC_LVTT, $(LVTT_DEADLINE | TIMER_VECTOR))
	call .Ltsc
	lea DELAY(%rax), %r12
	call .Lwait_tsc
	cli
	jmp .Ldone

/*
 * The bench (conf_tsc_deadline_roundtrips): bench_n times, a deadline at
 * the current TSC, already past when written, and a spin until its
 * interrupt has run.
 */
PAYLOAD_LABEL(tsc_guest, bench)
	call .Lenable
	WR(MSR_X2APIC_LVTT, $(LVTT_DEADLINE | TIMER_VECTOR))
	sti
	mov .Lbench_n(%rip), %r15
	xor %r13d, %r13d
1:	inc %r13d
	call .Ltsc
	mov %rax, %r12
	WR(MSR_TSC_DEADLINE, %r12)
	call .Lwait_count
	dec %r15
	jnz 1b
	cli
	jmp .Ldone

/* The APIC enabled, the LVT timer in TSC-deadline mode, a deadline DELAY ahead (kept). */
.Larm_ahead:
	call .Lenable
	WR(MSR_X2APIC_LVTT, $(LVTT_DEADLINE | TIMER_VECTOR))
	call .Ltsc
	lea DELAY(%rax), %r12
	mov %r12, .Ldeadline(%rip)
	WR(MSR_TSC_DEADLINE, %r12)
	ret

/* SVR = 1FFh: the APIC software-enabled. */
.Lenable:
	WR(MSR_X2APIC_SVR, $0x1ff)
	ret

/* RAX = TSC. */
.Ltsc:
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	ret

/* Until the handler has run R13D times; a timeout after PATIENCE. */
.Lwait_count:
	call .Ltsc
	lea PATIENCE(%rax), %r14
1:	cmp .Lirq_count(%rip), %r13d
	jbe 2f
	call .Ltsc
	cmp %r14, %rax
	jb 1b
	pop %rax
	jmp .Ltimeout
2:	ret

/* Until the TSC reaches R12. */
.Lwait_tsc:
	call .Ltsc
	cmp %r12, %rax
	jb .Lwait_tsc
	ret

.Ldone:
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Ldone
.Ltimeout:
	mov $MARK_TIMEOUT, %eax
	vmmcall
	jmp .Ltimeout

PAYLOAD_LABEL(tsc_guest, timer_handler)
	push %rax
	push %rcx
	push %rdx
	cmpl $0, .Lirq_count(%rip)
	jnz 1f
	call .Ltsc
	mov %rax, .Lirq_tsc(%rip)
1:	incl .Lirq_count(%rip)
	mov $MSR_X2APIC_EOI, %ecx
	xor %eax, %eax
	xor %edx, %edx
	wrmsr
	pop %rdx
	pop %rcx
	pop %rax
	iretq

PAYLOAD_LABEL(tsc_guest, gp_handler)
	incl .Lgp_count(%rip)
	add $8, %rsp                      /* the error code */
	addq $2, (%rsp)                   /* past RDMSR or WRMSR */
	iretq

/* Application processors are never started; the VM's trampoline wants a target. */
PAYLOAD_LABEL(tsc_guest, ap64)
	hlt
	jmp .

	.balign 8
PAYLOAD_LABEL(tsc_guest, deadline)
.Ldeadline:
	.quad 0
PAYLOAD_LABEL(tsc_guest, irq_tsc)
.Lirq_tsc:
	.quad 0
PAYLOAD_LABEL(tsc_guest, reads)
.Lread0:
	.quad 0
.Lread1:
	.quad 0
.Lread2:
	.quad 0
.Lread3:
	.quad 0
.Lread4:
	.quad 0
.Lread5:
	.quad 0
PAYLOAD_LABEL(tsc_guest, cpuid_ecx)
.Lcpuid_ecx:
	.long 0
PAYLOAD_LABEL(tsc_guest, irq_count)
.Lirq_count:
	.long 0
PAYLOAD_LABEL(tsc_guest, count_masked)
.Lcount_masked:
	.long 0
PAYLOAD_LABEL(tsc_guest, woke)
.Lwoke:
	.long 0
PAYLOAD_LABEL(tsc_guest, gp_count)
.Lgp_count:
	.long 0
PAYLOAD_LABEL(tsc_guest, sipi_vector)
	.long 0
PAYLOAD_LABEL(tsc_guest, bench_n)
.Lbench_n:
	.quad 0
PAYLOAD_END(tsc_guest)

	.section .note.GNU-stack, "", @progbits
