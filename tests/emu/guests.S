/* SPDX-License-Identifier: MIT */
/*
 * Guest code for the engine's unit tests, one snippet per processor mode.
 * Each is position-independent; the tests copy it into guest memory.
 */
	.section .rodata
	.macro	snippet name
	.globl	\name
	.globl	\name\()_end
	.endm

	snippet	t64_nops
	.code64
t64_nops:
	.rept	10
	nop
	.endr
	vmmcall
t64_nops_end:

	snippet	t64_sti_hlt
t64_sti_hlt:
	sti
	hlt
	vmmcall
t64_sti_hlt_end:

	snippet	t64_ud2
t64_ud2:
	ud2
t64_ud2_end:

	snippet	t64_bad_ds
t64_bad_ds:
	mov	$0x1230, %eax
	mov	%eax, %ds		/* beyond the GDT limit: #GP(0x1230) */
t64_bad_ds_end:

	snippet	t64_load
t64_load:
	mov	(%rbx), %rax		/* rbx: the address to read */
	vmmcall
t64_load_end:

	snippet	t64_store
t64_store:
	mov	%rax, (%rbx)		/* rbx: the address to write */
	vmmcall
t64_store_end:

	snippet	t64_incload
t64_incload:
	inc	%rcx
	inc	%rcx
	mov	(%rbx), %rax		/* faults here: RCX must read 2 */
	vmmcall
t64_incload_end:

	snippet	t32_mov
	.code32
t32_mov:
	mov	$0x12345678, %eax
	vmmcall
t32_mov_end:

	snippet	t16_mov
	.code16
t16_mov:
	mov	$0x1234, %ax
	vmmcall
t16_mov_end:

	.section .note.GNU-stack, "", @progbits
