/* SPDX-License-Identifier: MIT */
/*
 * Guests of the multiprocessor scenarios (conformance/src/mp/).
 *
 * mp_tramp: the application processors' start-up code, copied by the host
 * to a page below 1 MiB whose number is the SIPI vector. It starts in real
 * mode at offset 0 (CS = vector << 8, IP = 0), climbs through protected
 * mode (the guest GDT's 32-bit code, 0x18) to long mode (PAE, the guest's
 * identity page tables, EFER.LME, CR0.PG; SDM vol. 3 §9.8.5) and jumps to
 * mp_guest's ap64 through the guest GDT's 64-bit code (0x08). The host
 * fills the parameters: GDTR image (+0), ap64 (+16), CR3 (+24); the code
 * itself fills the 32-bit jump (+8), which depends on where it runs.
 *
 * mp_guest: 64-bit code for the bootstrap vCPU (one entry per scenario)
 * and for the application processors once they reach long mode. The BSP
 * talks to the x2APIC through WRMSR 830h; it stops at VMMCALL MARK_SYNC
 * (RBX = vCPU to wait for, RCX = MP state to wait for, or 0xff: "until its
 * mailbox is taken") so the host can look at the other vCPUs at a known
 * point, and ends with MARK_DONE, or MARK_TIMEOUT when a bounded wait ran
 * out. Waits spin with PAUSE, which VM vCPUs intercept.
 */
#include "payload.h"

#define MSR_X2APIC_ID   0x802
#define MSR_X2APIC_EOI  0x80b
#define MSR_X2APIC_SVR  0x80f
#define MSR_X2APIC_ICR  0x830
#define MSR_EFER        0xc0000080

#define ICR_INIT        0x4500  /* INIT, assert, edge, physical */
#define ICR_INIT_DEASSERT 0x8500 /* INIT, level-triggered, level 0 */
#define ICR_STARTUP     0x0600
#define ICR_FIXED       0x4000

#define WAIT_LIMIT      200000
/* A wait with no exit at all: only a kick gets the vCPU out (about a second). */
#define SPIN_LIMIT      100000000

/* WRMSR ICR: destination in EDX (ICR 63:32), low half in EAX. */
#define ICR(dest, low) \
	mov $MSR_X2APIC_ICR, %ecx; mov $(dest), %edx; mov $(low), %eax; wrmsr
#define ICR_SIPI(dest) \
	mov $MSR_X2APIC_ICR, %ecx; mov $(dest), %edx; \
	mov .Lsipi_vector(%rip), %eax; or $ICR_STARTUP, %eax; wrmsr
#define SYNC(vcpu, state) \
	mov $(vcpu), %ebx; mov $(state), %ecx; mov $MARK_SYNC, %eax; vmmcall

	.code16
PAYLOAD_BEGIN(mp_tramp)
	cli
	mov %cs, %ax
	mov %ax, %ds
	xor %ebx, %ebx
	mov %cs, %bx
	shl $4, %ebx                      /* EBX: linear address of this page */
	lea (.Lt_pm - mp_tramp_start)(%ebx), %eax
	mov %eax, (.Lt_jmp32 - mp_tramp_start)
	lgdtl (.Lt_gdtr - mp_tramp_start)
	mov %cr0, %eax
	or $1, %eax                       /* CR0.PE */
	mov %eax, %cr0
	ljmpl *(.Lt_jmp32 - mp_tramp_start)

	.code32
.Lt_pm:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $0x20, %eax                    /* CR4.PAE */
	mov %eax, %cr4
	mov (.Lt_cr3 - mp_tramp_start)(%ebx), %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $0x100, %eax                   /* EFER.LME */
	wrmsr
	mov %cr0, %eax
	or $0x80000000, %eax              /* CR0.PG: long mode, compatibility */
	mov %eax, %cr0
	ljmpl *(.Lt_jmp64 - mp_tramp_start)(%ebx)

	.balign 8
PAYLOAD_LABEL(mp_tramp, params)
.Lt_gdtr:
	.word 0                           /* +0 limit */
	.long 0                           /* +2 base */
	.balign 8
.Lt_jmp32:
	.long 0                           /* +8 offset of .Lt_pm */
	.word 0x18
	.balign 8
.Lt_jmp64:
	.long 0                           /* +16 mp_guest ap64 */
	.word 0x08
	.balign 8
.Lt_cr3:
	.long 0                           /* +24 */
	.code64
PAYLOAD_END(mp_tramp)

PAYLOAD_BEGIN(mp_guest)
PAYLOAD_LABEL(mp_guest, entry)
/* (a) INIT to vCPUs 1-3, then two rounds of SIPI, then wait for their slots. */
PAYLOAD_LABEL(mp_guest, boot3)
	ICR(1, ICR_INIT)
	ICR(2, ICR_INIT)
	ICR(3, ICR_INIT)
	mov $2, %r8d
.Lboot3_round:
	ICR_SIPI(1)
	ICR_SIPI(2)
	ICR_SIPI(3)
	dec %r8d
	jnz .Lboot3_round
	mov $WAIT_LIMIT, %r9d
.Lboot3_wait:
	mov .Lslots+4(%rip), %eax
	test %eax, %eax
	jz .Lboot3_again
	mov .Lslots+8(%rip), %eax
	test %eax, %eax
	jz .Lboot3_again
	mov .Lslots+12(%rip), %eax
	test %eax, %eax
	jnz .Ldone
.Lboot3_again:
	pause
	dec %r9d
	jnz .Lboot3_wait
	jmp .Ltimeout

/* (b) SIPI to an UNINITIALIZED vCPU 1; then INIT; then SIPI. */
PAYLOAD_LABEL(mp_guest, sipi_only)
	ICR_SIPI(1)
	SYNC(1, 0xff)
	ICR(1, ICR_INIT)
	SYNC(1, 2)
	ICR_SIPI(1)
	jmp .Lwait_slot1

/* (c) INIT-SIPI, vCPU 1 spins RUNNABLE; a second SIPI; release it. */
PAYLOAD_LABEL(mp_guest, second_sipi)
	ICR(1, ICR_INIT)
	ICR_SIPI(1)
	call .Lwait_boot1
	ICR_SIPI(1)
	SYNC(1, 0xff)
	jmp .Lrelease_ap

/* (d) INIT-SIPI, vCPU 1 spins RUNNABLE; an INIT level de-assert; release it. */
PAYLOAD_LABEL(mp_guest, deassert)
	ICR(1, ICR_INIT)
	ICR_SIPI(1)
	call .Lwait_boot1
	ICR(1, ICR_INIT_DEASSERT)
	SYNC(1, 0xff)
	jmp .Lrelease_ap

/* (f) INIT-SIPI, vCPU 1 spins RUNNABLE; INIT; release; SIPI boots it again. */
PAYLOAD_LABEL(mp_guest, init_running)
	ICR(1, ICR_INIT)
	ICR_SIPI(1)
	call .Lwait_boot1
	ICR(1, ICR_INIT)
	SYNC(1, 2)
	movl $1, .Lrelease(%rip)
	ICR_SIPI(1)
	mov $WAIT_LIMIT, %r9d
.Linit_running_wait:
	cmpl $2, .Lboots+4(%rip)
	jae .Ldone
	pause
	dec %r9d
	jnz .Linit_running_wait
	jmp .Ltimeout

/* (e) vCPU 1 halts with IF = 1; a fixed IPI wakes it. */
PAYLOAD_LABEL(mp_guest, wake)
	mov $WAIT_LIMIT, %r9d
.Lwake_ready:
	cmpl $0, .Lready(%rip)
	jnz 1f
	pause
	dec %r9d
	jnz .Lwake_ready
	jmp .Ltimeout
1:	SYNC(1, 3)
	ICR(1, ICR_FIXED | 0x50)
	mov $WAIT_LIMIT, %r9d
.Lwake_woke:
	cmpl $0, .Lwoke(%rip)
	jnz .Ldone
	pause
	dec %r9d
	jnz .Lwake_woke
	jmp .Ltimeout

/* vCPU 1 in (e), started in long mode through the API. */
PAYLOAD_LABEL(mp_guest, sleeper)
	mov $MSR_X2APIC_SVR, %ecx
	mov $0x1ff, %eax                  /* APIC software-enabled */
	xor %edx, %edx
	wrmsr
	movl $1, .Lready(%rip)
	sti
	hlt
	cli
	mov .Lirq_count(%rip), %eax
	mov %eax, .Lwoke(%rip)
1:	hlt
	jmp 1b

/* (g) vCPU 1 spins in the guest with IF = 1 and no exit; a fixed IPI reaches it. */
PAYLOAD_LABEL(mp_guest, kick)
	mov $WAIT_LIMIT, %r9d
.Lkick_ready:
	cmpl $0, .Lready(%rip)
	jnz 1f
	pause
	dec %r9d
	jnz .Lkick_ready
	jmp .Ltimeout
1:	ICR(1, ICR_FIXED | 0x50)
	mov $WAIT_LIMIT, %r9d
.Lkick_woke:
	cmpl $0, .Lwoke(%rip)
	jnz .Ldone
	pause
	dec %r9d
	jnz .Lkick_woke
	jmp .Ltimeout

/* vCPU 1 in (g), started in long mode through the API: no PAUSE, no HLT. */
PAYLOAD_LABEL(mp_guest, spinner)
	mov $MSR_X2APIC_SVR, %ecx
	mov $0x1ff, %eax                  /* APIC software-enabled */
	xor %edx, %edx
	wrmsr
	sti
	movl $1, .Lready(%rip)
	mov $SPIN_LIMIT, %r9d
1:	cmpl $0, .Lirq_count(%rip)
	jnz 2f
	dec %r9d
	jnz 1b
2:	cli
	mov .Lirq_count(%rip), %eax
	mov %eax, .Lwoke(%rip)
3:	hlt
	jmp 3b

/* Vector 0x50 in (e) and (g): count, EOI, return. */
PAYLOAD_LABEL(mp_guest, irq_handler)
	push %rax
	push %rcx
	push %rdx
	incl .Lirq_count(%rip)
	mov $MSR_X2APIC_EOI, %ecx
	xor %eax, %eax
	xor %edx, %edx
	wrmsr
	pop %rdx
	pop %rcx
	pop %rax
	iretq

.Lwait_slot1:
	mov $WAIT_LIMIT, %r9d
1:	cmpl $0, .Lslots+4(%rip)
	jnz .Ldone
	pause
	dec %r9d
	jnz 1b
	jmp .Ltimeout

/* Returns once vCPU 1 has booted once; on a timeout drops the return address. */
.Lwait_boot1:
	mov $WAIT_LIMIT, %r9d
1:	cmpl $0, .Lboots+4(%rip)
	jnz 2f
	pause
	dec %r9d
	jnz 1b
	pop %rax
	jmp .Ltimeout
2:	ret

.Lrelease_ap:
	movl $1, .Lrelease(%rip)
.Ldone:
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Ldone
.Ltimeout:
	mov $MARK_TIMEOUT, %eax
	vmmcall
	jmp .Ltimeout

/* Every application processor, in long mode: slot[id] = id, boots[id]++, park. */
PAYLOAD_LABEL(mp_guest, ap64)
	mov $MSR_X2APIC_ID, %ecx
	rdmsr
	mov %eax, %edx
	lea .Lslots(%rip), %rdi
	mov %eax, (%rdi,%rdx,4)
	lea .Lboots(%rip), %rdi
	lock incl (%rdi,%rdx,4)
.Lap_park:
	cmpl $0, .Lpark_spin(%rip)
	jz 1f
	cmpl $0, .Lrelease(%rip)
	jnz 1f
	pause
	jmp .Lap_park
1:	hlt
	jmp 1b

	.balign 8
PAYLOAD_LABEL(mp_guest, sipi_vector)
.Lsipi_vector:
	.long 0
PAYLOAD_LABEL(mp_guest, park_spin)
.Lpark_spin:
	.long 0
.Lrelease:
	.long 0
PAYLOAD_LABEL(mp_guest, ready)
.Lready:
	.long 0
PAYLOAD_LABEL(mp_guest, woke)
.Lwoke:
	.long 0
PAYLOAD_LABEL(mp_guest, irq_count)
.Lirq_count:
	.long 0
PAYLOAD_LABEL(mp_guest, slots)
.Lslots:
	.fill 16, 4, 0
PAYLOAD_LABEL(mp_guest, boots)
.Lboots:
	.fill 16, 4, 0
PAYLOAD_END(mp_guest)

	.section .note.GNU-stack, "", @progbits
