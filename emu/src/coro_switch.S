/* SPDX-License-Identifier: MIT */
/*
 * void emu_coro_switch(void **save_sp, void *load_sp)
 *
 * Saves the callee-saved state of the System V x86-64 ABI (RBX, RBP,
 * R12-R15, the MXCSR control bits and the x87 control word) on the current
 * stack, stores the stack pointer in *save_sp, and resumes the stack at
 * load_sp, which holds the same layout. swapcontext() would also save and
 * restore the signal mask, a system call on every switch; the model's
 * processors never change it.
 */
	.text
	.globl	emu_coro_switch
	.type	emu_coro_switch, @function
emu_coro_switch:
	.cfi_startproc
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.cfi_endproc
	.size	emu_coro_switch, . - emu_coro_switch

	.section .note.GNU-stack, "", @progbits
