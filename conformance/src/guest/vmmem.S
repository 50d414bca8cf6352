/* SPDX-License-Identifier: MIT */
/*
 * vmmem_guest: the guest of the VM-memory scenarios (conformance/src/mp/
 * vmmem*.c), 64-bit code for a VM with nested paging that owns only its
 * RAM (hv/ram.h). The host fills the parameters below before the run and
 * reads the results after it.
 *
 * scan: one vCPU's share of guest-physical 0-4 GiB, [RDI, RDX)
 * (guest-virtual = guest-physical): every page below dense_top and from
 * MMIO_LOW on, the first page of each 2 MiB between; then, with RSI = 1,
 * the samples, whose
 * guest-virtual addresses the host mapped onto guest-physical addresses
 * above 4 GiB. A page of the VM's RAM or the xAPIC page is read and its
 * value written back: no exit for the host. Any other page gets one XCHG,
 * a read and a write of it, with ECX = 0: the access must end in #NPF,
 * after which the host sets ECX and resumes after the XCHG. An XCHG that
 * completes without that is reported with VMMCALL MARK_AFTER, RBX = the
 * page. Then the count of pages that faulted and the xAPIC version
 * register go to slot RBX of faulted and version, and MARK_DONE.
 *
 * walk: writes every page of [walk_from, walk_to) (its own address at
 * offset 0, its complement at offset 4088), then reads them all back,
 * counting pages and mismatches; MARK_DONE.
 *
 * edge_load: a load of the xAPIC version register (RBX = 0xFEE00000)
 * and a JMP back, five bytes that end the payload's second page, so that
 * reading 15 bytes from the load runs into the next page, which the
 * processor does not fetch; the JMP goes to ESI = EAX, VMMCALL
 * MARK_MAIN1. edge_next, the third page: MARK_DONE.
 */
#include "payload.h"

#define APIC            0xfee00000
#define APIC_VERSION    0x030
#define POISON          0x5ca1ab1e
#define PAGE            4096
#define SCAN_VCPUS      4
/* Scanned densely from here to 4 GiB: where platforms put their MMIO. */
#define MMIO_LOW        0xfe000000
#define SPARSE_STEP     0x200000

	/* edge_load's page offsets hold only if the payload starts on a page. */
	.section .rodata.vxpayload, "a"
	.balign PAGE
PAYLOAD_BEGIN(vmmem_guest)
PAYLOAD_LABEL(vmmem_guest, entry)
PAYLOAD_LABEL(vmmem_guest, scan)
	/* Registers only, code on one page: each #NPF costs a world switch and
	 * little else. R8/R9: the RAM, R10: the xAPIC page, R12: the end, RBP:
	 * the vCPU's slot in the results, R11/RDX: the sparse range. */
	mov .Lram_base(%rip), %r8
	mov .Lram_size(%rip), %r9
	mov $APIC, %r10d
	mov %rdx, %r12
	mov %rbx, %rbp
	mov .Ldense_top(%rip), %r11
	mov $MMIO_LOW, %edx
	xor %r13d, %r13d                  /* pages that faulted */
	lea .Lscan_low_next(%rip), %r14   /* where .Ltouch goes back to */
	cmp %r12, %rdi
	jae .Lscan_samples
.Lscan_low:
	jmp .Ltouch
.Lscan_low_next:
	add $PAGE, %rdi
	cmp %r11, %rdi
	jb 1f
	cmp %rdx, %rdi
	jae 1f
	add $SPARSE_STEP - 1, %rdi
	and $-SPARSE_STEP, %rdi
1:	cmp %r12, %rdi
	jb .Lscan_low
.Lscan_samples:
	test %rsi, %rsi
	jz .Lscan_done
	lea .Lsamples(%rip), %r15
	mov .Lnsamples(%rip), %r12
	lea .Lscan_high_next(%rip), %r14
.Lscan_high:
	test %r12, %r12
	jz .Lscan_done
	mov (%r15), %rdi
	jmp .Ltouch
.Lscan_high_next:
	add $8, %r15
	dec %r12
	jmp .Lscan_high
.Lscan_done:
	lea .Lfaulted(%rip), %rax
	mov %r13, (%rax,%rbp,8)
	mov $APIC, %ebx
	mov APIC_VERSION(%rbx), %ecx
	lea .Lversion(%rip), %rax
	mov %ecx, (%rax,%rbp,4)
	mov $MARK_DONE, %eax
	vmmcall
1:	jmp 1b

/* RDI: the page; back to R14. */
.Ltouch:
	mov %rdi, %rax
	sub %r8, %rax
	cmp %r9, %rax
	jb .Lown
	cmp %r10, %rdi
	je .Lown
	xor %ecx, %ecx
	mov $POISON, %eax
PAYLOAD_LABEL(vmmem_guest, xchg)
	xchg %eax, (%rdi)
	test %ecx, %ecx
	jz .Lreached
	inc %r13
	jmp *%r14
.Lown:
	mov (%rdi), %eax
	mov %eax, (%rdi)
	jmp *%r14
.Lreached:
	mov %rdi, %rbx
	mov $MARK_AFTER, %eax
	vmmcall
	jmp .Lreached

PAYLOAD_LABEL(vmmem_guest, walk)
	mov .Lwalk_from(%rip), %rdi
	mov .Lwalk_to(%rip), %rsi
	mov %rdi, %rdx
.Lwalk_write:
	mov %rdx, (%rdx)
	mov %rdx, %rax
	not %rax
	mov %rax, PAGE - 8(%rdx)
	add $PAGE, %rdx
	cmp %rsi, %rdx
	jb .Lwalk_write
	xor %r13d, %r13d                  /* pages read back */
	xor %r14d, %r14d                  /* pages that did not keep what was written */
	mov %rdi, %rdx
.Lwalk_read:
	cmp %rdx, (%rdx)
	jne .Lwalk_mismatch
	mov %rdx, %rax
	not %rax
	cmp %rax, PAGE - 8(%rdx)
	je .Lwalk_match
.Lwalk_mismatch:
	inc %r14
.Lwalk_match:
	inc %r13
	add $PAGE, %rdx
	cmp %rsi, %rdx
	jb .Lwalk_read
	mov %r13, .Lwalk_pages(%rip)
	mov %r14, .Lwalk_bad(%rip)
	mov $MARK_DONE, %eax
	vmmcall
1:	jmp 1b

	.balign 8
PAYLOAD_LABEL(vmmem_guest, ram_base)
.Lram_base:
	.quad 0
PAYLOAD_LABEL(vmmem_guest, ram_size)
.Lram_size:
	.quad 0
PAYLOAD_LABEL(vmmem_guest, dense_top)
.Ldense_top:
	.quad 0
PAYLOAD_LABEL(vmmem_guest, nsamples)
.Lnsamples:
	.quad 0
PAYLOAD_LABEL(vmmem_guest, samples)
.Lsamples:
	.fill 8, 8, 0                     /* guest-virtual addresses */
PAYLOAD_LABEL(vmmem_guest, faulted)
.Lfaulted:
	.fill SCAN_VCPUS, 8, 0
PAYLOAD_LABEL(vmmem_guest, version)
.Lversion:
	.fill SCAN_VCPUS, 4, 0
PAYLOAD_LABEL(vmmem_guest, walk_from)
.Lwalk_from:
	.quad 0
PAYLOAD_LABEL(vmmem_guest, walk_to)
.Lwalk_to:
	.quad 0
PAYLOAD_LABEL(vmmem_guest, walk_pages)
.Lwalk_pages:
	.quad 0
PAYLOAD_LABEL(vmmem_guest, walk_bad)
.Lwalk_bad:
	.quad 0

	.balign PAGE
PAYLOAD_LABEL(vmmem_guest, edge_page)
	.fill PAGE - 15, 1, 0xcc
.Ledge_stop:
	mov %eax, %esi                    /* 2 bytes */
	mov $MARK_MAIN1, %eax             /* 5 */
	vmmcall                           /* 3 */
PAYLOAD_LABEL(vmmem_guest, edge_load)
	mov APIC_VERSION(%rbx), %eax      /* 3 */
	.byte 0xeb                        /* JMP rel8 back: 2, as bytes so */
	.byte .Ledge_stop - (. + 1)       /* that the page check is constant */
	.if . - vmmem_guest_edge_page - PAGE
	.error "edge_load and its JMP must end their page"
	.endif
PAYLOAD_LABEL(vmmem_guest, edge_next)
	mov $MARK_DONE, %eax
	vmmcall
1:	jmp 1b
PAYLOAD_END(vmmem_guest)

	.section .note.GNU-stack, "", @progbits
