/* SPDX-License-Identifier: MIT */
/*
 * The guest's own paging on the engine, without nested paging: any linear
 * page may map any physical page (and be remapped), a fetch fault on the
 * page after a translation block's start is taken at the instruction that
 * reaches that page with the ones before it retired, and code the guest
 * rewrites is seen as rewritten — trapped instructions included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "guest_util.h"
#include "x86/cpu.h"
#include "x86/svm.h"

static struct {
	uint64_t exit_code, info1, info2, rip, rax, rcx, base;
} r;

static void record(const struct tguest *g)
{
	r.exit_code = g->vmcb->control.exit_code;
	r.info1 = g->vmcb->control.exit_info_1;
	r.info2 = g->vmcb->control.exit_info_2;
	r.rip = g->vmcb->save.rip;
	r.rax = g->vmcb->save.rax;
	r.rcx = g->gprs.rcx;
}

/*
 * Replaces the 2 MiB mapping of tg_long() around gva with 4 KiB pages onto
 * the same memory, and returns that page table so a test can change one.
 */
static uint64_t *split_2m(struct tguest *g, uint64_t gva)
{
	uint64_t *p4 = arch_phys_to_virt(g->pml4_pa);
	uint64_t *p3 = arch_phys_to_virt(p4[0] & ~0xfffull);
	uint64_t *p2 = arch_phys_to_virt(p3[(gva >> 30) & 511] & ~0xfffull);
	uint64_t pt = arch_page_alloc(), base = gva & ~0x1fffffull;
	uint64_t *t = arch_phys_to_virt(pt);

	for (unsigned i = 0; i < 512; i++)
		t[i] = (base + ((uint64_t)i << 12)) | X86_PTE_P | X86_PTE_W;
	p2[(gva >> 21) & 511] = pt | X86_PTE_P | X86_PTE_W;
	return t;
}

/* inc rcx three times; then mov rax, imm64 reaching over the page end. */
static const uint8_t incs_then_straddle[] = {
	0x48, 0xff, 0xc1, 0x48, 0xff, 0xc1, 0x48, 0xff, 0xc1,
	0x48, 0xb8, 0x11, 0x22, 0x33, 0x44,
};
#define STRADDLE_AT 9u /* offset of the MOV */

/*
 * Code at the end of the second page of the guest's code area, whose third
 * page is not present: the fetch of the MOV's tail faults.
 */
static void straddle_fn(void *arg)
{
	struct tguest g;
	uint64_t page, *pt;

	(void)arg;
	tg_svm_on();
	tg_long(&g, "", 0);
	page = g.code_pa + 0x1000;
	memcpy((uint8_t *)arch_phys_to_virt(page) + 0x1000 - sizeof(incs_then_straddle),
	       incs_then_straddle, sizeof(incs_then_straddle));
	pt = split_2m(&g, page + 0x1000);
	pt[((page + 0x1000) >> 12) & 511] = 0;
	g.vmcb->control.intercepts[VMCB_INTERCEPT_EXC] |= 1u << X86_VEC_PF;
	g.vmcb->save.rip = page + 0x1000 - sizeof(incs_then_straddle);
	g.gprs.rcx = 0;
	tg_run(&g);
	record(&g);
	r.base = page + 0x1000 - sizeof(incs_then_straddle);
}

static void test_fetch_fault_after_instructions(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, straddle_fn, NULL, 0), 0);
	assert_int_equal(r.exit_code, SVM_EXIT_EXCP_BASE + X86_VEC_PF);
	/* RIP at the MOV, the three INCs retired, CR2 the first byte not fetched. */
	assert_int_equal(r.rip, r.base + STRADDLE_AT);
	assert_int_equal(r.rcx, 3);
	assert_int_equal(r.info2, r.base + sizeof(incs_then_straddle));
	assert_int_equal(r.info1, 0); /* not present, read: no NX, no I/D bit */
}

/*
 * The guest rewrites, by a MOV CR3 to a second set of tables, the page its
 * data pointer names: the load reads the new page, then (back on the first
 * tables) the old one.
 */
static const uint8_t two_maps[] = {
	0x48, 0x8b, 0x03,             /* mov rax, [rbx] */
	0x49, 0x89, 0xc0,             /* mov r8, rax */
	0x0f, 0x22, 0xd9,             /* mov cr3, rcx */
	0x48, 0x8b, 0x03,             /* mov rax, [rbx] */
	0x49, 0x89, 0xc1,             /* mov r9, rax */
	0x0f, 0x22, 0xda,             /* mov cr3, rdx */
	0x48, 0x8b, 0x03,             /* mov rax, [rbx] */
	0x0f, 0x01, 0xd9,             /* vmmcall */
};

static struct {
	uint64_t r8, r9;
} two;

static void copy_tables(struct tguest *g, uint64_t *pml4_out, uint64_t **pt_out, uint64_t gva)
{
	uint64_t *p4 = arch_phys_to_virt(g->pml4_pa), *p3 = arch_phys_to_virt(p4[0] & ~0xfffull);
	uint64_t n4 = arch_page_alloc(), n3 = arch_page_alloc(), n2 = arch_page_alloc();
	uint64_t nt = arch_page_alloc(), *old2 = arch_phys_to_virt(p3[(gva >> 30) & 511] & ~0xfffull);
	uint64_t base = gva & ~0x1fffffull;

	memcpy(arch_phys_to_virt(n3), p3, 4096);
	memcpy(arch_phys_to_virt(n2), old2, 4096);
	((uint64_t *)arch_phys_to_virt(n4))[0] = n3 | X86_PTE_P | X86_PTE_W;
	((uint64_t *)arch_phys_to_virt(n3))[(gva >> 30) & 511] = n2 | X86_PTE_P | X86_PTE_W;
	for (unsigned i = 0; i < 512; i++)
		((uint64_t *)arch_phys_to_virt(nt))[i] = (base + ((uint64_t)i << 12)) | X86_PTE_P |
							 X86_PTE_W;
	((uint64_t *)arch_phys_to_virt(n2))[(gva >> 21) & 511] = nt | X86_PTE_P | X86_PTE_W;
	*pml4_out = n4;
	*pt_out = arch_phys_to_virt(nt);
}

static void two_maps_fn(void *arg)
{
	struct tguest g;
	uint64_t a = arch_page_alloc(), b = arch_page_alloc(), pml4b, *ptb;
	uint64_t gva = 0x40000000ull; /* a page nothing else uses */

	(void)arg;
	tg_svm_on();
	tg_long(&g, two_maps, sizeof(two_maps));
	*(uint64_t *)arch_phys_to_virt(a) = 0xaaaa;
	*(uint64_t *)arch_phys_to_virt(b) = 0xbbbb;
	split_2m(&g, gva)[(gva >> 12) & 511] = a | X86_PTE_P | X86_PTE_W;
	copy_tables(&g, &pml4b, &ptb, gva);
	ptb[(gva >> 12) & 511] = b | X86_PTE_P | X86_PTE_W;
	g.gprs.rbx = gva;
	g.gprs.rcx = pml4b;
	g.gprs.rdx = g.pml4_pa;
	tg_run(&g);
	record(&g);
	two.r8 = g.gprs.r8;
	two.r9 = g.gprs.r9;
}

static void test_remapped_by_cr3(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, two_maps_fn, NULL, 0), 0);
	assert_int_equal(r.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(two.r8, 0xaaaa);
	assert_int_equal(two.r9, 0xbbbb);
	assert_int_equal(r.rax, 0xaaaa);
}

/*
 * Self-modifying code: a loop runs two NOPs once, writes CPUID over them
 * and runs them again. CPUID is intercepted: the second pass must exit.
 */
static const uint8_t smc[] = {
	0x31, 0xc9,                         /* xor ecx, ecx */
	0xeb, 0x00,                         /* jmp loop: its own block both times */
	0x90, 0x90,                         /* loop: nop; nop (becomes cpuid) */
	0x85, 0xc9,                         /* test ecx, ecx */
	0x75, 0x10,                         /* jnz done */
	0xff, 0xc1,                         /* inc ecx */
	0x48, 0x8d, 0x3d, 0xf1, 0xff, 0xff, 0xff, /* lea rdi, [rip - 15] (loop) */
	0x66, 0xc7, 0x07, 0x0f, 0xa2,       /* mov word [rdi], 0xa20f */
	0xeb, 0xea,                         /* jmp loop */
	0x0f, 0x01, 0xd9,                   /* done: vmmcall */
};
#define SMC_LOOP 4u

static void smc_fn(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, smc, sizeof(smc));
	g.vmcb->control.intercepts[VMCB_INTERCEPT_MISC1] |= INTERCEPT_CPUID;
	tg_run(&g);
	record(&g);
	r.base = g.code_pa;
}

static void test_self_modifying_code_traps(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, smc_fn, NULL, 0), 0);
	assert_int_equal(r.exit_code, SVM_EXIT_CPUID);
	assert_int_equal(r.rip, r.base + SMC_LOOP);
	assert_int_equal(r.rcx, 1);
}

/*
 * The same in 32-bit code with LOCK BT EAX, EAX (APM vol. 3 §1.2.5: #UD),
 * an encoding the engine cannot translate, so the model must look the page
 * over again once the guest has written it: the second pass is #UD.
 */
static const uint8_t smc_lock_bt[] = {
	0x31, 0xc9,                         /* xor ecx, ecx */
	0xeb, 0x00,                         /* jmp loop: its own block both times */
	0x90, 0x90, 0x90, 0x90,             /* loop: 4 x nop (becomes lock bt eax, eax) */
	0x85, 0xc9,                         /* test ecx, ecx */
	0x75, 0x09,                         /* jnz done */
	0x41,                               /* inc ecx */
	0xc7, 0x07, 0xf0, 0x0f, 0xa3, 0xc0, /* mov dword [edi], 0xc0a30ff0 */
	0xeb, 0xef,                         /* jmp loop */
	0x0f, 0x01, 0xd9,                   /* done: vmmcall */
};

static void smc_lock_bt_fn(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_prot32(&g, smc_lock_bt, sizeof(smc_lock_bt));
	g.vmcb->control.intercepts[VMCB_INTERCEPT_EXC] |= 1u << X86_VEC_UD;
	g.gprs.rdi = g.code_pa + SMC_LOOP;
	tg_run(&g);
	record(&g);
	r.base = g.code_pa;
}

static void test_self_modifying_code_untranslatable(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, smc_lock_bt_fn, NULL, 0), 0);
	assert_int_equal(r.exit_code, SVM_EXIT_EXCP_BASE + X86_VEC_UD);
	assert_int_equal(r.rip, r.base + SMC_LOOP);
	assert_int_equal(r.rcx, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_fault_after_instructions),
		cmocka_unit_test(test_remapped_by_cr3),
		cmocka_unit_test(test_self_modifying_code_traps),
		cmocka_unit_test(test_self_modifying_code_untranslatable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
