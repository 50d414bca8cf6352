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

	snippet	t64_read_cr0
t64_read_cr0:
	mov	%cr0, %rdx		/* the CR0-read intercept exits here */
	vmmcall
t64_read_cr0_end:

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

	snippet	t64_xchg
t64_xchg:
	xchg	%rax, (%rbx)		/* rbx: the address read and written */
	vmmcall
t64_xchg_end:

	snippet	t64_rol_mem
t64_rol_mem:
	rolq	$3, (%rbx)		/* read-modify-write the probe works out */
	vmmcall
t64_rol_mem_end:

	snippet	t64_incload
t64_incload:
	inc	%rcx
	inc	%rcx
	mov	(%rbx), %rax		/* faults here: RCX must read 2 */
	vmmcall
t64_incload_end:

	snippet	t64_bt
t64_bt:
	mov	$0x1238, %ecx		/* bit 0x1238: the quadword at +0x240 */
	bt	%rcx, (%rbx)		/* rbx: the bit string */
	vmmcall
t64_bt_end:

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

/*
 * A long program for the quantum tests: a caller loop around a callee loop
 * (a memset), the shape whose resumption after a quantum stop went wrong.
 * In: RBX the buffer, R12 the outer count. Out: R13 a checksum, RDI the end
 * of the last memset; RSP unchanged. Entries: from a VMCB (ends in VMMCALL)
 * and from code a start-up IPI took to long mode (ends in CLI; HLT after
 * storing its results at QPARAM).
 */
	.set	QPARAM, 0x90f30		/* rsp, rbx, r12 in; r13, rsp, rdi, done out */
	snippet	t64_qprog
	.code64
t64_qprog:
	call	qprog
	vmmcall
	.globl	t64_qprog_bare
t64_qprog_bare:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	$QPARAM, %esi
	mov	(%rsi), %rsp
	mov	8(%rsi), %rbx
	mov	16(%rsi), %r12
	call	qprog
	mov	%r13, 24(%rsi)
	mov	%rsp, 32(%rsi)
	mov	%rdi, 40(%rsi)
	movl	$1, 48(%rsi)
	cli
	hlt
qprog:
	xor	%r13d, %r13d
1:	mov	%rbx, %rdi
	mov	$4133, %ecx
	mov	%r12d, %eax
	call	qmemset
	add	100(%rbx), %r13
	add	%rdi, %r13
	dec	%r12
	jnz	1b
	ret
qmemset:
2:	mov	%al, (%rdi)
	inc	%rdi
	dec	%ecx
	jnz	2b
	ret
t64_qprog_end:

/*
 * Real mode up to long mode, for code a start-up IPI runs at 9000:0000:
 * the GDTR at 9000:0F00, CR3 at 9000:0F10 and a far pointer (offset, then
 * selector) to the 64-bit code at 9000:0F20, all written by the test.
 */
	snippet	t16_climb
	.code16
t16_climb:
	cli
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	0xf00
	mov	%cr4, %eax
	or	$0x20, %eax		/* PAE */
	mov	%eax, %cr4
	mov	0xf10, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx
	rdmsr
	or	$0x100, %eax		/* EFER.LME */
	wrmsr
	mov	%cr0, %eax
	or	$0x80000001, %eax	/* PG, PE */
	mov	%eax, %cr0
	ljmpl	*0xf20
t16_climb_end:

/* The same loops in real mode (CS base not 0): SI the outer count; out DX
 * a checksum, SP unchanged; ends in VMMCALL. The buffer is CS:2000. */
	snippet	t16_qprog
t16_qprog:
	mov	%cs, %ax
	mov	%ax, %ds
	call	3f
	vmmcall
3:	xor	%dx, %dx
4:	mov	$0x2000, %di
	mov	$1500, %cx
	mov	%si, %ax
	call	5f
	add	0x2064, %dx
	add	%di, %dx
	dec	%si
	jnz	4b
	ret
5:	mov	%al, (%di)
	inc	%di
	dec	%cx
	jnz	5b
	ret
t16_qprog_end:

	.section .note.GNU-stack, "", @progbits
