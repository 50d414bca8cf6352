/* SPDX-License-Identifier: MIT */
/*
 * Entry from a multiboot (v1) loader: QEMU -kernel, GRUB `multiboot`, iPXE.
 * The loader leaves us in 32-bit protected mode with paging off, EAX = the
 * multiboot magic and EBX = the physical address of the information block
 * (Multiboot Specification 0.6.96, §3.2 "Machine state"). This file climbs
 * to 64-bit mode (APM vol. 2 §14.6 "Enabling and Activating Long Mode") and
 * calls hw_main(magic, info).
 */
#include "hw_asm.h"

#define MB_MAGIC       0x1badb002
#define MB_FLAG_MEMORY 0x00000002 /* ask for mem_lower/mem_upper */
#define MB_FLAGS       MB_FLAG_MEMORY

#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

/* 2 MiB page-directory entries: present, writable, PS. */
#define PDE_LARGE 0x83
/* PWT|PCD: uncached for the 3-4 GiB hole (local APIC, I/O APIC, MMIO). */
#define PDE_UC    0x18

	.section .multiboot, "a"
	.balign 4
	/* Must lie in the first 8 KiB of the file (Multiboot §3.1.1). */
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .text.boot, "ax"
	.code32
	.globl hw_start32
hw_start32:
	cli
	cld
	/* EBP and ESI survive until hw_main: magic and information block. */
	movl %eax, %ebp
	movl %ebx, %esi

	/* The loader zeroes .bss as well, but nothing obliges it to. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb

	/* The top of processor area 0: the bootstrap processor's stack. */
	movl $hw_cpu_areas + HW_CPU_AREA_SIZE, %esp

	/* A processor without long mode cannot run the image: say so. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode

	/* Identity map of the first 4 GiB with 2 MiB pages: one PML4 entry,
	 * four PDPT entries, four page directories of 512 entries each. */
	movl $hw_pdpt + 3, hw_pml4
	movl $hw_pd + 3, %eax
	movl $hw_pdpt, %edi
	movl $4, %ecx
1:	movl %eax, (%edi)
	addl $4096, %eax
	addl $8, %edi
	loop 1b

	movl $hw_pd, %edi
	xorl %ebx, %ebx                 /* entry index 0..2047 */
2:	movl %ebx, %eax
	shll $21, %eax
	orl $PDE_LARGE, %eax
	cmpl $1536, %ebx                /* 1536 * 2 MiB = 3 GiB */
	jb 3f
	orl $PDE_UC, %eax
3:	movl %eax, (%edi,%ebx,8)
	movl $0, 4(%edi,%ebx,8)
	incl %ebx
	cmpl $2048, %ebx
	jb 2b

	lgdt hw_gdtr

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $hw_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	/* Paging on with LME set activates long mode (EFER.LMA). Caches on
	 * (CD = NW = 0), write protection honoured in ring 0, native FPU errors. */
	movl $HW_CR0_LONG, %eax
	movl %eax, %cr0
	ljmp $HW_SEL_CODE64, $hw_start64

no_long_mode:
	movl $no_lm_msg, %esi
4:	lodsb
	testb %al, %al
	jz 5f
	movw $0x3f8, %dx
	outb %al, %dx
	jmp 4b
5:	movl $2, %eax
	movw $HW_DEBUG_EXIT_PORT, %dx
	outl %eax, %dx
6:	hlt
	jmp 6b

	.code64
hw_start64:
	movl $HW_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $hw_cpu_areas + HW_CPU_AREA_SIZE, %rsp
	/* 32-bit moves zero-extend: the upper halves of the registers are
	 * undefined after the mode change. */
	movl %ebp, %edi
	movl %esi, %esi
	xorl %ebp, %ebp                 /* ends the frame-pointer chain */
	call hw_main
7:	cli
	hlt
	jmp 7b

	.section .rodata
no_lm_msg:
	.asciz "vxemu-hw: this processor has no long mode (CPUID Fn8000_0001 EDX[29])\n"

	.data
	.balign 8
	.globl hw_gdt
hw_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff        /* 0x10: flat data, DPL 0 */
	.quad 0x00cf9a000000ffff        /* 0x18: flat 32-bit code, DPL 0 */
	/* 0x20: one TSS descriptor per processor area, filled by cpu.c */
	.fill 2 * HW_MAX_CPUS, 8, 0
	.globl hw_gdtr
hw_gdtr:
	.word HW_GDT_SLOTS * 8 - 1
	.quad hw_gdt

	.bss
	.balign 4096
	/* Application processors load the same page tables (trampoline.S). */
	.globl hw_pml4
hw_pml4:
	.skip 4096
hw_pdpt:
	.skip 4096
hw_pd:
	.skip 4 * 4096

	.section .note.GNU-stack, "", @progbits
