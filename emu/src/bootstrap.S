/* SPDX-License-Identifier: MIT */
/*
 * Run once in every new engine: real instructions that leave Unicorn's
 * start-up state (long mode flags without paging or a GDT) for proper long
 * mode, so that the model's exact-state editing starts from, and is checked
 * against, state that QEMU's own instruction semantics produced. The model
 * places this code at 0x8000, a GDTR image at 0x7f00, the GDT at 0x1000 and
 * identity page tables at 0x2000-0x4fff, then wipes all of it.
 */
	.section .rodata
	.globl emu_bootstrap_code
	.globl emu_bootstrap_code_end
	.code64
emu_bootstrap_code:
	lgdt	0x7f00
	mov	$0x2000, %eax
	mov	%rax, %cr3
	mov	$0x220, %eax		/* CR4.PAE | CR4.OSFXSR */
	mov	%rax, %cr4
	mov	$0x80000033, %eax	/* CR0.PG | NE | ET | MP | PE */
	mov	%rax, %cr0
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	pushq	$0x08
	lea	1f(%rip), %rax
	push	%rax
	lretq
1:	mov	$0x1230, %eax
	mov	%eax, %ds		/* beyond the GDT limit: #GP(0x1230) */
	hlt
emu_bootstrap_code_end:
	.section .note.GNU-stack, "", @progbits
