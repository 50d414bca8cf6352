/* SPDX-License-Identifier: MIT */
/*
 * The VMX instructions of arch.h (SDM vol. 3 §31.3, "VMX instruction
 * reference"). The outcome of each comes from RFLAGS (§31.2, "Conventions"):
 * CF = 1 is VMfailInvalid, ZF = 1 is VMfailValid, both clear is VMsucceed.
 * Where VMX is absent (any AMD processor) or off, the instructions raise
 * #UD; the fixup returns that as ARCH_FAULT(6).
 */
#include "hw_asm.h"

/* arch.h's ARCH_VMFAIL_INVALID and ARCH_VMFAIL_VALID (checked in arch_vmx.c). */
#define VMFAIL_INVALID 1
#define VMFAIL_VALID   2

/* VMCS host-state field encodings (SDM vol. 3 appendix B.4.4). */
#define VMCS_HOST_RSP 0x6c14
#define VMCS_HOST_RIP 0x6c16

/* Offsets in struct arch_gprs (include/vx/arch.h). */
#define G_RBX 0
#define G_RCX 8
#define G_RDX 16
#define G_RSI 24
#define G_RDI 32
#define G_RBP 40
#define G_R8  48
#define G_R9  56
#define G_R10 64
#define G_R11 72
#define G_R12 80
#define G_R13 88
#define G_R14 96
#define G_R15 104
#define G_RAX 112

/* EAX = the outcome of the VMX instruction just executed; flags consumed. */
.macro VMX_RESULT
	movl $VMFAIL_INVALID, %eax
	jc 9f
	movl $VMFAIL_VALID, %eax
	jz 9f
	xorl %eax, %eax
9:
.endm

	.text
/* arch_fault_t hw_vmxon(uint64_t region_pa): the operand is in memory. */
	.globl hw_vmxon
hw_vmxon:
	pushq %rdi
1:	vmxon (%rsp)
	VMX_RESULT
2:	popq %rdi
	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t hw_vmxoff(void) */
	.globl hw_vmxoff
hw_vmxoff:
1:	vmxoff
	VMX_RESULT
2:	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t arch_vmclear(uint64_t vmcs_pa) */
	.globl arch_vmclear
arch_vmclear:
	pushq %rdi
1:	vmclear (%rsp)
	VMX_RESULT
2:	popq %rdi
	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t arch_vmptrld(uint64_t vmcs_pa) */
	.globl arch_vmptrld
arch_vmptrld:
	pushq %rdi
1:	vmptrld (%rsp)
	VMX_RESULT
2:	popq %rdi
	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t arch_vmread(uint64_t field, uint64_t *value): *value is
 * written only on VMsucceed. */
	.globl arch_vmread
arch_vmread:
1:	vmread %rdi, %rax
	jc 3f
	jz 4f
	movq %rax, (%rsi)
	xorl %eax, %eax
2:	ret
3:	movl $VMFAIL_INVALID, %eax
	ret
4:	movl $VMFAIL_VALID, %eax
	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t arch_vmwrite(uint64_t field, uint64_t value) */
	.globl arch_vmwrite
arch_vmwrite:
1:	vmwrite %rsi, %rdi
	VMX_RESULT
2:	ret
	HW_FIXUP(1b, 2b)

/* Guest RAX is not part of the VMCS guest-state area: it travels in
 * struct arch_gprs like the others. */
.macro LOAD_GUEST
	movq G_RAX(%rdi), %rax
	movq G_RBX(%rdi), %rbx
	movq G_RCX(%rdi), %rcx
	movq G_RDX(%rdi), %rdx
	movq G_RSI(%rdi), %rsi
	movq G_RBP(%rdi), %rbp
	movq G_R8(%rdi), %r8
	movq G_R9(%rdi), %r9
	movq G_R10(%rdi), %r10
	movq G_R11(%rdi), %r11
	movq G_R12(%rdi), %r12
	movq G_R13(%rdi), %r13
	movq G_R14(%rdi), %r14
	movq G_R15(%rdi), %r15
	movq G_RDI(%rdi), %rdi
.endm

/*
 * arch_fault_t hw_vmx_enter(struct arch_gprs *gprs, uint64_t resume)
 *
 * VM entry with VMLAUNCH (resume = 0) or VMRESUME. The VM exit lands at
 * hw_vmx_exit with RSP = HOST_RSP (§28.5.3), which points at the saved gprs
 * pointer; the other host-state fields are written by arch_vmx.c.
 */
	.globl hw_vmx_enter
hw_vmx_enter:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi
	movl $VMCS_HOST_RSP, %eax
1:	vmwrite %rsp, %rax
	leaq hw_vmx_exit(%rip), %rdx
	movl $VMCS_HOST_RIP, %eax
2:	vmwrite %rdx, %rax
	/* A failed VMWRITE means no current VMCS: the VM entry below then
	 * fails with the same VMfail, which is the outcome to report. */
	testq %rsi, %rsi
	jnz 5f
	LOAD_GUEST
3:	vmlaunch
	jmp 6f
5:	LOAD_GUEST
4:	vmresume
6:	/* VMfail: nothing was entered; the flags say which failure. */
	pushfq
	popq %rax
	testb $0x01, %al                /* CF */
	jnz 7f
	movl $VMFAIL_VALID, %eax
	jmp 8f
7:	movl $VMFAIL_INVALID, %eax
	jmp 8f

hw_vmx_exit:
	pushq %rdi
	movq 8(%rsp), %rdi
	movq %rax, G_RAX(%rdi)
	movq %rbx, G_RBX(%rdi)
	movq %rcx, G_RCX(%rdi)
	movq %rdx, G_RDX(%rdi)
	movq %rsi, G_RSI(%rdi)
	movq %rbp, G_RBP(%rdi)
	movq %r8, G_R8(%rdi)
	movq %r9, G_R9(%rdi)
	movq %r10, G_R10(%rdi)
	movq %r11, G_R11(%rdi)
	movq %r12, G_R12(%rdi)
	movq %r13, G_R13(%rdi)
	movq %r14, G_R14(%rdi)
	movq %r15, G_R15(%rdi)
	popq G_RDI(%rdi)
	xorl %eax, %eax
8:	/* The fault path joins here with RAX = ARCH_FAULT(vector). */
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
	HW_FIXUP(1b, 8b)
	HW_FIXUP(2b, 8b)
	HW_FIXUP(3b, 8b)
	HW_FIXUP(4b, 8b)

	.section .note.GNU-stack, "", @progbits
