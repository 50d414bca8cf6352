/* SPDX-License-Identifier: MIT */
/*
 * xapic_guest: the guest of the xAPIC scenarios (conformance/src/mp/xapic*.c),
 * 64-bit code for VMs with nested paging whose virtual APIC answers at
 * 0xFEE00000 (hv/vlapic.h). One entry per scenario for vCPU 0, entries for
 * vCPUs the host starts in long mode, ap64 for application processors that
 * the mp_tramp trampoline (mp.S) brings to long mode, and the handlers the
 * host puts in the IDT. Results go to .Lout (32-bit words) for the host to
 * check; vCPU 0 ends with VMMCALL MARK_DONE, or MARK_TIMEOUT when a bounded
 * wait runs out. Waits spin with PAUSE, which VM vCPUs intercept.
 *
 * Register offsets are those of the xAPIC page (SDM vol. 3 §10.4.1, table
 * 10-1); RBX holds the page's address unless a comment says otherwise.
 */
#include "payload.h"

#define APIC            0xfee00000
#define APIC_ID         0x020
#define APIC_VERSION    0x030
#define APIC_TPR        0x080
#define APIC_PPR        0x0a0
#define APIC_EOI        0x0b0
#define APIC_LDR        0x0d0
#define APIC_DFR        0x0e0
#define APIC_SVR        0x0f0
#define APIC_ISR4       0x140   /* ISR bits for vectors 80h-9Fh */
#define APIC_IRR3       0x230   /* IRR bits for vectors 60h-7Fh */
#define APIC_ESR        0x280
#define APIC_ICR_LOW    0x300
#define APIC_ICR_HIGH   0x310
#define APIC_SELF_IPI   0x3f0   /* x2APIC only: no register in xAPIC mode */

#define MSR_APIC_BASE   0x1b
#define MSR_X2APIC_ID   0x802
#define MSR_X2APIC_TPR  0x808

#define ICR_INIT        0x4500  /* INIT, assert, edge, physical */
#define ICR_STARTUP     0x0600
#define ICR_FIXED       0x4000
#define ICR_SELF        0x40000 /* destination shorthand 01b */

#define WAIT_LIMIT      200000

#define XAPIC_ICR(dest, low) \
	movl $((dest) << 24), APIC_ICR_HIGH(%rbx); movl $(low), APIC_ICR_LOW(%rbx)
#define XAPIC_SIPI(dest) \
	movl $((dest) << 24), APIC_ICR_HIGH(%rbx); \
	mov .Lsipi_vector(%rip), %eax; or $ICR_STARTUP, %eax; mov %eax, APIC_ICR_LOW(%rbx)
#define SYNC(vcpu, state) \
	mov $(vcpu), %ebx; mov $(state), %ecx; mov $MARK_SYNC, %eax; vmmcall; mov $APIC, %ebx
#define OUT(i, reg) mov reg, .Lout + 4 * (i)(%rip)
/* IA32_APIC_BASE = value (EDX = 0), then record the #GP count and the MSR. */
#define BASE_STEP(i, value) \
	mov $MSR_APIC_BASE, %ecx; mov $(value), %eax; xor %edx, %edx; wrmsr; \
	mov .Lgp_count(%rip), %eax; OUT(2 * (i), %eax); \
	mov $MSR_APIC_BASE, %ecx; rdmsr; OUT(2 * (i) + 1, %eax)

PAYLOAD_BEGIN(xapic_guest)
PAYLOAD_LABEL(xapic_guest, entry)
/* (a) INIT to vCPUs 1-3, two rounds of SIPI, wait until each reported. */
PAYLOAD_LABEL(xapic_guest, boot3)
	mov $APIC, %ebx
	XAPIC_ICR(1, ICR_INIT)
	XAPIC_ICR(2, ICR_INIT)
	XAPIC_ICR(3, ICR_INIT)
	mov $2, %r8d
.Lboot3_round:
	XAPIC_SIPI(1)
	XAPIC_SIPI(2)
	XAPIC_SIPI(3)
	dec %r8d
	jnz .Lboot3_round
	mov $WAIT_LIMIT, %r9d
.Lboot3_wait:
	cmpl $0, .Lboots+4(%rip)
	je 1f
	cmpl $0, .Lboots+8(%rip)
	je 1f
	cmpl $0, .Lboots+12(%rip)
	jne .Ldone
1:	pause
	dec %r9d
	jnz .Lboot3_wait
	jmp .Ltimeout

/*
 * Every application processor, in long mode: its initial APIC ID from
 * CPUID (EBX[31:24]) picks its slot, which gets the ID register as read
 * at offset 20h; boots[id]++; then it halts.
 */
PAYLOAD_LABEL(xapic_guest, ap64)
	mov $1, %eax
	cpuid
	shr $24, %ebx
	mov %ebx, %edi
	mov $APIC, %ebx
	mov APIC_ID(%rbx), %eax
	lea .Lslots(%rip), %rsi
	mov %eax, (%rsi,%rdi,4)
	lea .Lboots(%rip), %rsi
	lock incl (%rsi,%rdi,4)
1:	hlt
	jmp 1b

/* (b) vCPU 1 (started by the host at regs_ap) reads its registers; vCPU 0 waits. */
PAYLOAD_LABEL(xapic_guest, regs_bsp)
	call .Lwait_ready
	mov $MSR_APIC_BASE, %ecx
	rdmsr
	OUT(8, %eax)
	OUT(9, %edx)
	jmp .Ldone

PAYLOAD_LABEL(xapic_guest, regs_ap)
	mov $APIC, %ebx
	mov APIC_ID(%rbx), %eax
	OUT(0, %eax)
	mov APIC_VERSION(%rbx), %eax
	OUT(1, %eax)
	mov APIC_LDR(%rbx), %eax
	OUT(2, %eax)
	mov APIC_DFR(%rbx), %eax
	OUT(3, %eax)
	movl $0x02abcdef, APIC_LDR(%rbx)  /* logical ID 02h; bits 23:0 reserved */
	mov APIC_LDR(%rbx), %eax
	OUT(4, %eax)
	movl $0x01234567, APIC_DFR(%rbx)  /* cluster model; bits 27:0 reserved */
	mov APIC_DFR(%rbx), %eax
	OUT(5, %eax)
	mov $MSR_APIC_BASE, %ecx
	rdmsr
	OUT(6, %eax)
	OUT(7, %edx)
	movl $1, .Lready(%rip)
1:	hlt
	jmp 1b

/* (c) TPR and PPR, with and without a vector in service (the handler is irq_ppr). */
PAYLOAD_LABEL(xapic_guest, tpr)
	mov $APIC, %ebx
	movl $0x1ff, APIC_SVR(%rbx)       /* software-enabled */
	movl $0x45, APIC_TPR(%rbx)
	mov APIC_TPR(%rbx), %eax
	OUT(0, %eax)
	mov APIC_PPR(%rbx), %eax
	OUT(1, %eax)
	movl $0xffffff30, APIC_TPR(%rbx)  /* bits 31:8 reserved */
	mov APIC_TPR(%rbx), %eax
	OUT(2, %eax)
	sti
	movl $(ICR_SELF | ICR_FIXED | 0x80), APIC_ICR_LOW(%rbx)
	nop
	cli
	mov APIC_PPR(%rbx), %eax
	OUT(6, %eax)
	jmp .Ldone

/* Vector 80h in (c): PPR and ISR in service, EOI, ISR after it. */
PAYLOAD_LABEL(xapic_guest, irq_ppr)
	push %rax
	mov APIC_PPR(%rbx), %eax
	OUT(3, %eax)
	mov APIC_ISR4(%rbx), %eax
	OUT(4, %eax)
	movl $0, APIC_EOI(%rbx)
	mov APIC_ISR4(%rbx), %eax
	OUT(5, %eax)
	incl .Lirq_count(%rip)
	pop %rax
	iretq

/* (d) vCPU 1 halts with IF = 1 (host-started at sleeper); a fixed IPI from vCPU 0 wakes it. */
PAYLOAD_LABEL(xapic_guest, wake)
	call .Lwait_ready
	mov $APIC, %ebx
	SYNC(1, 3)
	XAPIC_ICR(1, ICR_FIXED | 0x50)
	mov $WAIT_LIMIT, %r9d
1:	cmpl $0, .Lwoke(%rip)
	jnz .Ldone
	pause
	dec %r9d
	jnz 1b
	jmp .Ltimeout

PAYLOAD_LABEL(xapic_guest, sleeper)
	mov $APIC, %ebx
	movl $0x1ff, APIC_SVR(%rbx)
	movl $1, .Lready(%rip)
	sti
	hlt
	cli
	mov .Lirq_count(%rip), %eax
	mov %eax, .Lwoke(%rip)
1:	hlt
	jmp 1b

/* Vector 50h in (d): count, EOI through the page, return. */
PAYLOAD_LABEL(xapic_guest, irq_eoi)
	incl .Lirq_count(%rip)
	movl $0, APIC_EOI(%rbx)
	iretq

/* (e) xAPIC -> x2APIC through IA32_APIC_BASE; the page stops answering. */
PAYLOAD_LABEL(xapic_guest, to_x2apic)
	mov $APIC, %ebx
	movl $0x20, APIC_TPR(%rbx)
	mov $MSR_APIC_BASE, %ecx
	rdmsr
	or $0x400, %eax                   /* EXTD */
	wrmsr
	rdmsr
	OUT(0, %eax)
	mov $MSR_X2APIC_TPR, %ecx
	rdmsr
	OUT(1, %eax)
	mov APIC_VERSION(%rbx), %eax
	OUT(2, %eax)
	movl $0x70, APIC_TPR(%rbx)
	mov $MSR_X2APIC_TPR, %ecx
	rdmsr
	OUT(3, %eax)
	jmp .Ldone

/* (f) the IA32_APIC_BASE transitions, each followed by the #GP count and the MSR. */
PAYLOAD_LABEL(xapic_guest, base_steps)
	BASE_STEP(0, 0xfee00d00)          /* xAPIC -> x2APIC */
	BASE_STEP(1, 0xfee00900)          /* x2APIC -> xAPIC: #GP */
	BASE_STEP(2, 0xfee00100)          /* x2APIC -> disabled */
	BASE_STEP(3, 0xfee00d00)          /* disabled -> x2APIC: #GP */
	BASE_STEP(4, 0xfee00500)          /* EXTD without EN: #GP */
	BASE_STEP(5, 0xfee00900)          /* disabled -> xAPIC */
	BASE_STEP(6, 0xfed00900)          /* a new base: #GP (not supported) */
	BASE_STEP(7, 0xfee00b00)          /* reserved bit 9: #GP */
	jmp .Ldone

/* (g) disable and enable again: the page and CPUID while disabled, the registers after. */
PAYLOAD_LABEL(xapic_guest, disable)
	mov $APIC, %ebx
	movl $0x1ff, APIC_SVR(%rbx)
	movl $0x40, APIC_TPR(%rbx)
	movl $0x03000000, APIC_LDR(%rbx)
	mov $MSR_APIC_BASE, %ecx
	mov $0xfee00100, %eax             /* EN clear */
	xor %edx, %edx
	wrmsr
	mov APIC_TPR(%rbx), %eax
	OUT(0, %eax)
	mov $1, %eax
	cpuid
	OUT(1, %edx)
	mov $APIC, %ebx
	mov $MSR_APIC_BASE, %ecx
	mov $0xfee00900, %eax             /* EN set: xAPIC */
	xor %edx, %edx
	wrmsr
	mov APIC_TPR(%rbx), %eax
	OUT(2, %eax)
	mov APIC_SVR(%rbx), %eax
	OUT(3, %eax)
	mov APIC_LDR(%rbx), %eax
	OUT(4, %eax)
	mov $1, %eax
	cpuid
	OUT(5, %edx)
	jmp .Ldone

/* (h) an instruction the core does not emulate: ADD to TPR. */
PAYLOAD_LABEL(xapic_guest, add_tpr)
	mov $APIC, %ebx
PAYLOAD_LABEL(xapic_guest, add_tpr_insn)
	addl $1, APIC_TPR(%rbx)           /* 83 83 80 00 00 00 01 */
	jmp .Ldone

/* (i) MOV forms: REX, SIB, negative disp8, disp32, moffs, address size, segment. */
PAYLOAD_LABEL(xapic_guest, forms)
	mov $APIC, %r12d
	mov $APIC_TPR, %ecx
	movl $0x10, (%r12,%rcx,1)         /* 41 C7 04 0C imm32 */
	mov (%r12,%rcx,1), %r9d           /* 45 8B 0C 0C */
	OUT(0, %r9d)
	mov $0x20, %r10d
	mov %r10d, APIC_TPR(%r12)         /* 45 89 94 24 disp32 */
	movabs APIC + APIC_TPR, %eax      /* A1 moffs64 */
	OUT(1, %eax)
	mov $0x30, %eax
	movabs %eax, APIC + APIC_TPR      /* A3 moffs64 */
	lea APIC_TPR + 0x80(%r12), %rsi
	mov $-1, %r15
	mov -0x80(%rsi), %r15d            /* 44 8B 7E 80 */
	OUT(2, %r15d)
	shr $32, %r15
	OUT(3, %r15d)
	mov $APIC, %ebx
	.byte 0x67, 0x3e, 0x8b, 0x53, 0x30 /* mov %ds:0x30(%ebx),%edx (addr32, DS) */
	OUT(4, %edx)
	jmp .Ldone

/* (j) a load at an offset with no register (3F0h in xAPIC mode), and ESR. */
PAYLOAD_LABEL(xapic_guest, reserved)
	mov $APIC, %ebx
	movl $0, APIC_ESR(%rbx)
	mov APIC_ESR(%rbx), %eax
	OUT(0, %eax)
	movl $-1, %eax
	mov APIC_SELF_IPI(%rbx), %eax
	OUT(1, %eax)
	movl $0, APIC_ESR(%rbx)
	mov APIC_ESR(%rbx), %eax
	OUT(2, %eax)
	movl $0, APIC_ESR(%rbx)
	mov APIC_ESR(%rbx), %eax
	OUT(3, %eax)
	jmp .Ldone

/* (k) vCPU 1 (host-started at deaf_ap) disables its APIC; vCPU 0 sends it a fixed IPI. */
PAYLOAD_LABEL(xapic_guest, deaf_bsp)
	call .Lwait_ready
	mov $APIC, %ebx
	XAPIC_ICR(1, ICR_FIXED | 0x60)
	movl $1, .Lwoke(%rip)
	mov $WAIT_LIMIT, %r9d
1:	cmpl $0, .Lirq_count(%rip)
	jnz .Ldone
	pause
	dec %r9d
	jnz 1b
	jmp .Ltimeout

/* vCPU 1 in (k): disabled until the IPI was sent, then xAPIC again; IRR[127:96]. */
PAYLOAD_LABEL(xapic_guest, deaf_ap)
	mov $APIC, %ebx
	movl $0x1ff, APIC_SVR(%rbx)
	mov $MSR_APIC_BASE, %ecx
	mov $0xfee00000, %eax             /* EN clear */
	xor %edx, %edx
	wrmsr
	movl $1, .Lready(%rip)
1:	pause
	cmpl $0, .Lwoke(%rip)
	jz 1b
	mov $0xfee00800, %eax             /* EN set: xAPIC */
	wrmsr
	mov APIC_IRR3(%rbx), %eax
	OUT(0, %eax)
	movl $1, .Lirq_count(%rip)
2:	hlt
	jmp 2b

/*
 * (l) 32-bit code in compatibility mode, where segment bases apply: the
 * host gives DS base 10h and SS base 0, so each load below reaches the
 * version register (FEE00030h) only through the segment the manual names
 * (APM vol. 3 §1.2.4): an explicit DS keeps DS with an EBP base, SS is the
 * default for EBP alone. Results stay in EDX, ESI, EDI, ECX and EBX.
 */
	.code32
PAYLOAD_LABEL(xapic_guest, seg32)
	mov $APIC, %ebp
	mov $APIC, %ebx
	.byte 0x3e, 0x8b, 0x55, 0x20       /* mov %ds:0x20(%ebp), %edx */
	.byte 0x3e, 0x8b, 0x74, 0x25, 0x20 /* mov %ds:0x20(%ebp), %esi (SIB 25h) */
	.byte 0x8b, 0x7d, 0x30             /* mov 0x30(%ebp), %edi: SS */
	.byte 0x36, 0x8b, 0x4b, 0x30       /* mov %ss:0x30(%ebx), %ecx */
	.byte 0x8b, 0x5b, 0x20             /* mov 0x20(%ebx), %ebx: DS */
1:	mov $MARK_DONE, %eax
	vmmcall
	jmp 1b
	.code64

/* #GP: count it, keep the error code, resume after the 2-byte RDMSR/WRMSR. */
PAYLOAD_LABEL(xapic_guest, gp_handler)
	push %rax
	mov 8(%rsp), %rax
	mov %eax, .Lgp_error(%rip)
	incl .Lgp_count(%rip)
	addq $2, 16(%rsp)
	pop %rax
	add $8, %rsp
	iretq

.Lwait_ready:
	mov $WAIT_LIMIT, %r9d
1:	cmpl $0, .Lready(%rip)
	jnz 2f
	pause
	dec %r9d
	jnz 1b
	pop %rax
	jmp .Ltimeout
2:	ret

.Ldone:
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Ldone
.Ltimeout:
	mov $MARK_TIMEOUT, %eax
	vmmcall
	jmp .Ltimeout

	.balign 8
PAYLOAD_LABEL(xapic_guest, sipi_vector)
.Lsipi_vector:
	.long 0
PAYLOAD_LABEL(xapic_guest, ready)
.Lready:
	.long 0
PAYLOAD_LABEL(xapic_guest, woke)
.Lwoke:
	.long 0
PAYLOAD_LABEL(xapic_guest, irq_count)
.Lirq_count:
	.long 0
PAYLOAD_LABEL(xapic_guest, gp_count)
.Lgp_count:
	.long 0
PAYLOAD_LABEL(xapic_guest, gp_error)
.Lgp_error:
	.long 0
PAYLOAD_LABEL(xapic_guest, slots)
.Lslots:
	.fill 16, 4, 0
PAYLOAD_LABEL(xapic_guest, boots)
.Lboots:
	.fill 16, 4, 0
PAYLOAD_LABEL(xapic_guest, out)
.Lout:
	.fill 16, 4, 0
PAYLOAD_END(xapic_guest)

	.section .note.GNU-stack, "", @progbits
