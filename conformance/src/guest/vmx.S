/* SPDX-License-Identifier: MIT */
/*
 * vmx_guest: the guest of the VMX scenarios. Each entry point runs the
 * instruction under test at a label ending in _insn, then stops at VMCALL
 * with RAX = MARK_AFTER, so a missing VM exit shows up as "VM exit VMCALL
 * (18)" rather than as a hang. The scenario sets RIP to the entry point it
 * needs and passes operands in the general-purpose registers it names.
 */
#include "vmx_payload.h"

#define INVLPG_ADDR 0x12345678
#define IO_PORT_A 0x80
#define IO_PORT_B 0x8086
#define BAD_SELECTOR 0x40
#define UNMAPPED_GVA 0x100002000

#define AFTER VMX_STOP(MARK_AFTER); jmp .Lstop

PAYLOAD_BEGIN(vmx_guest)
PAYLOAD_LABEL(vmx_guest, entry)
.Lstop:
PAYLOAD_LABEL(vmx_guest, done_insn)
	VMX_STOP(MARK_DONE)
	jmp .Lstop

PAYLOAD_LABEL(vmx_guest, cpuid)
	xor %eax, %eax
	xor %ecx, %ecx
PAYLOAD_LABEL(vmx_guest, cpuid_insn)
	cpuid
	AFTER

PAYLOAD_LABEL(vmx_guest, hlt_insn)
	hlt
PAYLOAD_LABEL(vmx_guest, hlt_after)
	AFTER

PAYLOAD_LABEL(vmx_guest, invlpg)
	mov $INVLPG_ADDR, %rax
PAYLOAD_LABEL(vmx_guest, invlpg_insn)
	invlpg (%rax)
	AFTER

PAYLOAD_LABEL(vmx_guest, rdtsc_insn)
	rdtsc
	AFTER

/* The VMX instructions, each of which exits in VMX non-root operation. */
PAYLOAD_LABEL(vmx_guest, vmxon_insn)
	vmxon .Lqword(%rip)
	AFTER
PAYLOAD_LABEL(vmx_guest, vmxoff_insn)
	vmxoff
	AFTER
PAYLOAD_LABEL(vmx_guest, vmclear_insn)
	vmclear .Lqword(%rip)
	AFTER
PAYLOAD_LABEL(vmx_guest, vmptrld_insn)
	vmptrld .Lqword(%rip)
	AFTER
PAYLOAD_LABEL(vmx_guest, vmptrst_insn)
	vmptrst .Lqword(%rip)
	AFTER
PAYLOAD_LABEL(vmx_guest, vmread_insn)
	vmread %rax, %rbx
	AFTER
PAYLOAD_LABEL(vmx_guest, vmwrite_insn)
	vmwrite %rbx, %rax
	AFTER
PAYLOAD_LABEL(vmx_guest, vmlaunch_insn)
	vmlaunch
	AFTER
PAYLOAD_LABEL(vmx_guest, vmresume_insn)
	vmresume
	AFTER

/* Control registers: the GPR each uses is part of the exit qualification. */
PAYLOAD_LABEL(vmx_guest, cr0_write)
	mov %cr0, %rdx
	xor $0x8, %rdx			/* CR0.TS */
PAYLOAD_LABEL(vmx_guest, cr0_write_insn)
	mov %rdx, %cr0
	AFTER

PAYLOAD_LABEL(vmx_guest, cr0_read_insn)
	mov %cr0, %rbx
	AFTER

PAYLOAD_LABEL(vmx_guest, cr3_write)
	mov %cr3, %rcx
PAYLOAD_LABEL(vmx_guest, cr3_write_insn)
	mov %rcx, %cr3
	AFTER

PAYLOAD_LABEL(vmx_guest, cr3_read_insn)
	mov %cr3, %rsi
	AFTER

PAYLOAD_LABEL(vmx_guest, cr4_write)
	mov %cr4, %rdx
	xor $0x80, %rdx			/* CR4.PGE */
PAYLOAD_LABEL(vmx_guest, cr4_write_insn)
	mov %rdx, %cr4
	AFTER

PAYLOAD_LABEL(vmx_guest, cr8_write_insn)
	mov %rbx, %cr8
	AFTER

PAYLOAD_LABEL(vmx_guest, cr8_read_insn)
	mov %cr8, %rdi
	AFTER

PAYLOAD_LABEL(vmx_guest, clts_insn)
	clts
	AFTER

PAYLOAD_LABEL(vmx_guest, lmsw_insn)
	lmsw %bx
	AFTER

PAYLOAD_LABEL(vmx_guest, dr7_write_insn)
	mov %rbx, %dr7
	AFTER

PAYLOAD_LABEL(vmx_guest, dr7_read_insn)
	mov %dr7, %rsi
	AFTER

/* I/O */
PAYLOAD_LABEL(vmx_guest, out)
	mov $0x5a, %al
PAYLOAD_LABEL(vmx_guest, out_insn)
	outb %al, $IO_PORT_A
	AFTER

PAYLOAD_LABEL(vmx_guest, in_dx)
	mov $IO_PORT_B, %edx
PAYLOAD_LABEL(vmx_guest, in_dx_insn)
	inw %dx, %ax
	AFTER

PAYLOAD_LABEL(vmx_guest, outs_rep)
	lea .Lqword(%rip), %rsi
	mov $1, %ecx
	mov $IO_PORT_A, %edx
PAYLOAD_LABEL(vmx_guest, outs_rep_insn)
	rep outsb
	AFTER

/* MSRs: RCX the MSR; WRMSR writes RDX:RBX; RDMSR leaves the value in RDX. */
PAYLOAD_LABEL(vmx_guest, rdmsr_insn)
	rdmsr
	shl $32, %rdx
	mov %eax, %eax
	or %rax, %rdx
	AFTER

PAYLOAD_LABEL(vmx_guest, wrmsr)
	mov %ebx, %eax
PAYLOAD_LABEL(vmx_guest, wrmsr_insn)
	wrmsr
	AFTER

/* Exceptions */
PAYLOAD_LABEL(vmx_guest, ud2_insn)
	ud2
	AFTER

PAYLOAD_LABEL(vmx_guest, gp)
	mov $BAD_SELECTOR, %eax
PAYLOAD_LABEL(vmx_guest, gp_insn)
	mov %eax, %ds
	AFTER

PAYLOAD_LABEL(vmx_guest, pf)
	mov $UNMAPPED_GVA, %rax
PAYLOAD_LABEL(vmx_guest, pf_insn)
	mov (%rax), %rbx
	AFTER

/* EPT: RBX the guest-physical (= guest-linear) address. */
PAYLOAD_LABEL(vmx_guest, ept_read_insn)
	mov (%rbx), %rcx
	AFTER
PAYLOAD_LABEL(vmx_guest, ept_write_insn)
	mov %rcx, (%rbx)
	AFTER
/* The fetch under test is the one at RBX, where the jump lands. */
PAYLOAD_LABEL(vmx_guest, ept_fetch_insn)
	jmp *%rbx

/*
 * Counts at (RBX) for RCX rounds, then stops with MARK_TIMEOUT: a guest
 * that waits for an event from outside and shows it ran.
 */
PAYLOAD_LABEL(vmx_guest, sti_count)
	sti
PAYLOAD_LABEL(vmx_guest, count)
.Lcount:
	incq (%rbx)
	dec %rcx
	jnz .Lcount
	VMX_STOP(MARK_TIMEOUT)
	jmp .Lstop

/*
 * Counts at (RBX) until the dword at 8(RBX) is set (MARK_DONE) or RCX
 * rounds ran out (MARK_TIMEOUT): a guest that another processor's events
 * should find running, and that the other processor can let finish.
 */
PAYLOAD_LABEL(vmx_guest, spin)
.Lspin:
	incq (%rbx)
	cmpl $0, 8(%rbx)
	jne .Lspin_done
	pause
	dec %rcx
	jnz .Lspin
PAYLOAD_LABEL(vmx_guest, spin_end)
	VMX_STOP(MARK_TIMEOUT)
	jmp .Lstop
.Lspin_done:
	VMX_STOP(MARK_DONE)
	jmp .Lstop

/* IRET to the next instruction: ends blocking by NMI (SDM vol. 3C §26.3). */
PAYLOAD_LABEL(vmx_guest, iret)
	mov %rsp, %rax
	push $0x10
	push %rax
	pushfq
	push $0x08
	lea .Liret_after(%rip), %rax
	push %rax
PAYLOAD_LABEL(vmx_guest, iret_insn)
	iretq
.Liret_after:
PAYLOAD_LABEL(vmx_guest, iret_after)
	AFTER

/* Where a SIPI's hypervisor starts the processor it woke. */
PAYLOAD_LABEL(vmx_guest, ap_start)
	VMX_STOP(MARK_MAIN2)
	jmp .Lstop

	.balign 8
PAYLOAD_LABEL(vmx_guest, qword)
.Lqword:
	.quad 0

VMX_EXC_HANDLER(vmx_guest)
PAYLOAD_END(vmx_guest)

	.section .note.GNU-stack, "", @progbits
