/* SPDX-License-Identifier: MIT */
/*
 * arch_rdmsr and arch_wrmsr. RDMSR and WRMSR raise #GP for an MSR that does
 * not exist or a value it does not accept (APM vol. 3 "RDMSR", "WRMSR");
 * the fixup returns that as ARCH_FAULT(13).
 */
#include "hw_asm.h"

	.text
/* arch_fault_t arch_rdmsr(uint32_t msr, uint64_t *value) */
	.globl arch_rdmsr
arch_rdmsr:
	movl %edi, %ecx
1:	rdmsr
	shlq $32, %rdx
	movl %eax, %eax
	orq %rdx, %rax
	movq %rax, (%rsi)
	xorl %eax, %eax
2:	ret
	HW_FIXUP(1b, 2b)

/* arch_fault_t arch_wrmsr(uint32_t msr, uint64_t value) */
	.globl arch_wrmsr
arch_wrmsr:
	movl %edi, %ecx
	movl %esi, %eax
	movq %rsi, %rdx
	shrq $32, %rdx
1:	wrmsr
	xorl %eax, %eax
2:	ret
	HW_FIXUP(1b, 2b)

	.section .note.GNU-stack, "", @progbits
