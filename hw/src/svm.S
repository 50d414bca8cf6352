/* SPDX-License-Identifier: MIT */
/*
 * The SVM instructions of arch.h (APM vol. 3 "VMRUN", "VMLOAD", "VMSAVE",
 * "STGI", "CLGI"). Each raises #UD when EFER.SVME is clear and #GP for a bad
 * operand or CPL; the fixup returns those as ARCH_FAULT(vector).
 */
#include "hw_asm.h"

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

	.text
/*
 * arch_fault_t hw_svm_vmrun(uint64_t vmcb_pa, struct arch_gprs *gprs), the
 * instruction behind arch_vmrun (arch_svm.c).
 *
 * VMRUN loads the guest's RAX, RSP and RIP from the VMCB and leaves the other
 * registers alone, so the guest gets them from *gprs. #VMEXIT restores the
 * host's RSP, RIP and RAX (the VMCB address) from the host save area (APM
 * vol. 2 §15.5.1, §15.6) and nothing else: the guest's values are then in the
 * registers and go back to *gprs. The host's callee-saved registers and the
 * gprs pointer wait on the stack. FS, GS, TR and LDTR are the caller's to
 * VMLOAD/VMSAVE; the image does not depend on them in host mode.
 */
	.globl hw_svm_vmrun
hw_svm_vmrun:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rsi
	movq %rdi, %rax
	movq G_RBX(%rsi), %rbx
	movq G_RCX(%rsi), %rcx
	movq G_RDX(%rsi), %rdx
	movq G_RDI(%rsi), %rdi
	movq G_RBP(%rsi), %rbp
	movq G_R8(%rsi), %r8
	movq G_R9(%rsi), %r9
	movq G_R10(%rsi), %r10
	movq G_R11(%rsi), %r11
	movq G_R12(%rsi), %r12
	movq G_R13(%rsi), %r13
	movq G_R14(%rsi), %r14
	movq G_R15(%rsi), %r15
	movq G_RSI(%rsi), %rsi
1:	vmrun
	/* #VMEXIT: RSP is back where it was, with *gprs on top. */
	pushq %rbx
	movq 8(%rsp), %rbx
	movq %rcx, G_RCX(%rbx)
	movq %rdx, G_RDX(%rbx)
	movq %rsi, G_RSI(%rbx)
	movq %rdi, G_RDI(%rbx)
	movq %rbp, G_RBP(%rbx)
	movq %r8, G_R8(%rbx)
	movq %r9, G_R9(%rbx)
	movq %r10, G_R10(%rbx)
	movq %r11, G_R11(%rbx)
	movq %r12, G_R12(%rbx)
	movq %r13, G_R13(%rbx)
	movq %r14, G_R14(%rbx)
	movq %r15, G_R15(%rbx)
	popq G_RBX(%rbx)
	xorl %eax, %eax
2:	/* The fault path joins here with RAX = ARCH_FAULT(vector). */
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t arch_vmload(uint64_t vmcb_pa) */
	.globl arch_vmload
arch_vmload:
	movq %rdi, %rax
1:	vmload
	xorl %eax, %eax
2:	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t arch_vmsave(uint64_t vmcb_pa) */
	.globl arch_vmsave
arch_vmsave:
	movq %rdi, %rax
1:	vmsave
	xorl %eax, %eax
2:	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t arch_stgi(void) */
	.globl arch_stgi
arch_stgi:
1:	stgi
	xorl %eax, %eax
2:	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t arch_clgi(void) */
	.globl arch_clgi
arch_clgi:
1:	clgi
	xorl %eax, %eax
2:	ret
	HW_FIXUP(1b, 2b)

	.section .note.GNU-stack, "", @progbits
