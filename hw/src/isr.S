/* SPDX-License-Identifier: MIT */
/*
 * One stub per IDT vector, HW_ISR_STUB_SIZE bytes apart, and the common
 * entry that saves every general-purpose register as a struct hw_frame
 * (hw/src/hw.h) and calls hw_trap(frame). hw_trap may change the saved RAX
 * and RIP (exception fixup); the registers are reloaded from the frame.
 */
#include "hw_asm.h"

	.text
	.balign HW_ISR_STUB_SIZE
	.globl hw_isr_stubs
hw_isr_stubs:
	.set vec, 0
	.rept 256
	.balign HW_ISR_STUB_SIZE
	/* Vectors that push an error code (APM vol. 2 §8.2, table 8-1):
	 * #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX. Push a zero for
	 * the rest so every frame has the same shape. */
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq $0
	.endif
	pushq $vec
	jmp hw_isr_common
	.set vec, vec + 1
	.endr

hw_isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	/* The interrupted code may have had any stack alignment. */
	movq %rsp, %rbx
	andq $-16, %rsp
	call hw_trap
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp                  /* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
