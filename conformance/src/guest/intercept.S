/* SPDX-License-Identifier: MIT */
/*
 * icpt_guest: the guest of the intercept, event-injection and VMRUN-check
 * scenarios. Each entry point runs the instruction under test at a label
 * ending in _insn, then stops at VMMCALL with RAX = MARK_AFTER, so a missing
 * intercept shows up as "#VMEXIT(VMMCALL)" rather than as a hang. The scenario
 * sets RIP to the entry point it needs.
 */
#include "payload.h"

#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define MSR_SYSENTER_ESP 0x175
#define INVLPG_ADDR 0x12345678
#define INVLPG_FS_BASE 0x40000000
#define MSR_FS_BASE 0xc0000100
#define IO_PORT 0x80

#define AFTER mov $MARK_AFTER, %eax; vmmcall; jmp .Lstop

PAYLOAD_BEGIN(icpt_guest)
PAYLOAD_LABEL(icpt_guest, entry)
.Lstop:
	mov $MARK_DONE, %eax
	vmmcall
	jmp .Lstop

PAYLOAD_LABEL(icpt_guest, cpuid)
	xor %eax, %eax
	xor %ecx, %ecx
PAYLOAD_LABEL(icpt_guest, cpuid_insn)
	cpuid
	AFTER

PAYLOAD_LABEL(icpt_guest, hlt)
	hlt
	AFTER

PAYLOAD_LABEL(icpt_guest, out)
	mov $0x5a, %al
PAYLOAD_LABEL(icpt_guest, out_insn)
	outb %al, $IO_PORT
	AFTER

PAYLOAD_LABEL(icpt_guest, in)
	mov $IO_PORT, %edx
PAYLOAD_LABEL(icpt_guest, in_insn)
	inw %dx, %ax
	AFTER

PAYLOAD_LABEL(icpt_guest, msr)
	mov $MSR_SYSENTER_ESP, %ecx
	mov $0x1000, %eax
	xor %edx, %edx
PAYLOAD_LABEL(icpt_guest, wrmsr_insn)
	wrmsr
PAYLOAD_LABEL(icpt_guest, rdmsr_insn)
	rdmsr
	AFTER

PAYLOAD_LABEL(icpt_guest, cr0_read)
	mov %cr0, %rbx
	AFTER

/* Selective CR0 write: first toggle TS only, then clear WP. */
PAYLOAD_LABEL(icpt_guest, cr0_sel)
	mov %cr0, %rdx
	xor $0x8, %rdx			/* CR0.TS */
PAYLOAD_LABEL(icpt_guest, cr0_ts_insn)
	mov %rdx, %cr0
	and $~0x10000, %rdx		/* CR0.WP */
PAYLOAD_LABEL(icpt_guest, cr0_wp_insn)
	mov %rdx, %cr0
	AFTER

/* LMSW: first toggle TS only, then set EM as well; then from memory. */
PAYLOAD_LABEL(icpt_guest, lmsw)
	mov %cr0, %rax
	xor $0x8, %eax			/* CR0.TS */
PAYLOAD_LABEL(icpt_guest, lmsw_ts_insn)
	lmsw %ax
	or $0x4, %eax			/* CR0.EM */
PAYLOAD_LABEL(icpt_guest, lmsw_em_insn)
	lmsw %ax
	AFTER

PAYLOAD_LABEL(icpt_guest, lmsw_mem)
	mov %cr0, %rax
	or $0x4, %eax			/* CR0.EM */
	mov %ax, .Lmsw(%rip)
PAYLOAD_LABEL(icpt_guest, lmsw_mem_insn)
	lmsw .Lmsw(%rip)
	AFTER

PAYLOAD_LABEL(icpt_guest, clts)
PAYLOAD_LABEL(icpt_guest, clts_insn)
	clts
	mov %cr0, %rbx
	AFTER

PAYLOAD_LABEL(icpt_guest, smsw)
PAYLOAD_LABEL(icpt_guest, smsw_insn)
	smsw %ebx
	AFTER

PAYLOAD_LABEL(icpt_guest, cr3_write)
	mov %cr3, %rdx
PAYLOAD_LABEL(icpt_guest, cr3_write_insn)
	mov %rdx, %cr3
	AFTER

PAYLOAD_LABEL(icpt_guest, cr4)
PAYLOAD_LABEL(icpt_guest, cr4_read_insn)
	mov %cr4, %rsi
PAYLOAD_LABEL(icpt_guest, cr4_write_insn)
	mov %rsi, %cr4
	AFTER

PAYLOAD_LABEL(icpt_guest, dr7)
PAYLOAD_LABEL(icpt_guest, dr7_read_insn)
	mov %dr7, %rcx
PAYLOAD_LABEL(icpt_guest, dr7_write_insn)
	mov %rcx, %dr7
	AFTER

PAYLOAD_LABEL(icpt_guest, ud)
	ud2
	AFTER

PAYLOAD_LABEL(icpt_guest, bp)
	int3
	AFTER

PAYLOAD_LABEL(icpt_guest, de)
	xor %edx, %edx
	mov $1, %eax
	xor %ecx, %ecx
PAYLOAD_LABEL(icpt_guest, de_insn)
	div %ecx
	AFTER

PAYLOAD_LABEL(icpt_guest, invlpg)
	mov $INVLPG_ADDR, %eax
PAYLOAD_LABEL(icpt_guest, invlpg_insn)
	invlpg (%rax)
	AFTER

PAYLOAD_LABEL(icpt_guest, invlpg_fs)
	/* FS.base through its MSR: VMRUN does not load it (VMLOAD does). */
	mov $MSR_FS_BASE, %ecx
	mov $INVLPG_FS_BASE, %eax
	xor %edx, %edx
	wrmsr
	mov $INVLPG_ADDR, %eax
PAYLOAD_LABEL(icpt_guest, invlpg_fs_insn)
	invlpg %fs:0x10(%rax)
	AFTER

PAYLOAD_LABEL(icpt_guest, iret)
	mov %rsp, %rcx
	push $SEL_DATA
	push %rcx
	pushfq
	push $SEL_CODE64
	lea .Liret_target(%rip), %rcx
	push %rcx
PAYLOAD_LABEL(icpt_guest, iret_insn)
	iretq
.Liret_target:
	AFTER

/* RAX (the VMCB address operand) is set by the scenario. */
PAYLOAD_LABEL(icpt_guest, vmrun_insn)
	vmrun
	AFTER
	.balign 2
.Lmsw:
	.word 0
PAYLOAD_END(icpt_guest)

	.section .note.GNU-stack, "", @progbits
