/* SPDX-License-Identifier: MIT */
/*
 * Nested paging on the model (APM vol. 2 §15.25): a guest-physical page the
 * nested tables send elsewhere, #NPF with its exit information for a
 * not-present page and for a write to a read-only one, exact RIP for a
 * fault in the middle of a block, the A/D bits, and the VMRUN checks. And
 * the guest instruction bytes of decode assists on #NPF and an intercepted
 * #PF (§15.8.4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "emu/src/emu_internal.h"
#include "guest_util.h"
#include "x86/cpu.h"
#include "x86/svm.h"

#define SNIPPET(name) extern const uint8_t name[], name##_end[]
#define CODE(name) name, (size_t)(name##_end - name)
#define SPAN(name) name, name##_end
#define SPAN_LEN(name) name, (size_t)(name##_end - name)
SNIPPET(t64_load);
SNIPPET(t64_bt);
SNIPPET(t64_store);
SNIPPET(t64_xchg);
SNIPPET(t64_rol_mem);
SNIPPET(t64_incload);
SNIPPET(t64_nops);

/* Guest-physical pages under test, inside the guest's identity map. */
#define GPA_REMAP  0x40000000ull /* -> a data page elsewhere, writable */
#define GPA_ABSENT 0x40001000ull /* not present */
#define GPA_RO     0x40002000ull /* -> another data page, read-only */
#define NPT_RWU (X86_PTE_P | X86_PTE_W | X86_PTE_U)

/* #NPF exit_info_1 bits (§15.25.6). */
#define NPF_P     (1ull << 0)
#define NPF_RW    (1ull << 1)
#define NPF_US    (1ull << 2)
#define NPF_FINAL (1ull << 32)

static struct {
	uint64_t exit_code, info1, info2, rip, rax, rcx, code_pa;
	uint64_t leaf_remap, leaf_ro;
	uint8_t insn_len, insn_bytes[15];
} r;

struct npt {
	uint64_t root, pt;
	uint64_t data, data_ro;
};

/* Identity nested tables for the first 4 GiB (2 MiB leaves), but for the
 * 2 MiB at GPA_REMAP, which get a page table of their own. */
static void build_npt(struct tguest *g, struct npt *n)
{
	uint64_t pdpt = arch_page_alloc(), *p3 = arch_phys_to_virt(pdpt), *pt;

	n->root = arch_page_alloc();
	((uint64_t *)arch_phys_to_virt(n->root))[0] = pdpt | NPT_RWU;
	for (int i = 0; i < 4; i++) {
		uint64_t pd = arch_page_alloc(), *p2 = arch_phys_to_virt(pd);

		p3[i] = pd | NPT_RWU;
		for (int j = 0; j < 512; j++)
			p2[j] = ((uint64_t)(i * 512 + j) << 21) | NPT_RWU | X86_PTE_PS;
		if (i == 1) {
			n->pt = arch_page_alloc();
			p2[0] = n->pt | NPT_RWU;
		}
	}
	n->data = arch_page_alloc();
	n->data_ro = arch_page_alloc();
	*(uint64_t *)arch_phys_to_virt(n->data) = 0x5a5a5a5a12345678ull;
	*(uint64_t *)arch_phys_to_virt(n->data_ro) = 0x0123456789abcdefull;
	pt = arch_phys_to_virt(n->pt);
	pt[0] = n->data | NPT_RWU;
	pt[2] = n->data_ro | X86_PTE_P | X86_PTE_U;
	g->vmcb->control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE;
	g->vmcb->control.nested_cr3 = n->root;
	g->vmcb->save.g_pat = 0x0007040600070406ull;
}

static void record(struct tguest *g, struct npt *n)
{
	r.exit_code = g->vmcb->control.exit_code;
	r.info1 = g->vmcb->control.exit_info_1;
	r.info2 = g->vmcb->control.exit_info_2;
	r.rip = g->vmcb->save.rip;
	r.rax = g->vmcb->save.rax;
	r.rcx = g->gprs.rcx;
	r.code_pa = g->code_pa;
	r.leaf_remap = ((uint64_t *)arch_phys_to_virt(n->pt))[0];
	r.leaf_ro = ((uint64_t *)arch_phys_to_virt(n->pt))[2];
	r.insn_len = g->vmcb->control.insn_len;
	memcpy(r.insn_bytes, g->vmcb->control.insn_bytes, sizeof(r.insn_bytes));
}

/* What no exit leaves in the instruction-bytes field, written before VMRUN. */
static void poison_insn_bytes(struct tguest *g)
{
	g->vmcb->control.insn_len = 0x0f;
	memset(g->vmcb->control.insn_bytes, 0xaa, sizeof(g->vmcb->control.insn_bytes));
}

static uint64_t target;
static const uint8_t *code_start, *code_end;

static void npt_fn(void *arg)
{
	struct tguest g;
	struct npt n;

	(void)arg;
	tg_svm_on();
	tg_long(&g, code_start, (size_t)(code_end - code_start));
	build_npt(&g, &n);
	g.gprs.rbx = target;
	g.vmcb->save.rax = 0x1111;
	poison_insn_bytes(&g);
	tg_run(&g);
	record(&g, &n);
}

/* The machine run() builds; NULL: the default one. */
static const struct emu_config *run_cfg;

static void run(const uint8_t *start, const uint8_t *end, uint64_t gpa)
{
	memset(&r, 0, sizeof(r));
	code_start = start;
	code_end = end;
	target = gpa;
	assert_int_equal(tg_machine_run(run_cfg, npt_fn, NULL, 0), 0);
}

/* A read through a nested mapping to another page reads that page; the
 * walk sets the leaf's A bit and leaves D clear. */
static void test_npt_remap_read(void **state)
{
	(void)state;
	run(SPAN(t64_load), GPA_REMAP);
	assert_int_equal(r.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(r.rax, 0x5a5a5a5a12345678ull);
	assert_true(r.leaf_remap & X86_PTE_A);
	assert_false(r.leaf_remap & X86_PTE_D);
}

/* A write through a writable nested mapping sets D. */
static void test_npt_write_sets_dirty(void **state)
{
	(void)state;
	run(SPAN(t64_store), GPA_REMAP);
	assert_int_equal(r.exit_code, SVM_EXIT_VMMCALL);
	assert_true(r.leaf_remap & X86_PTE_A);
	assert_true(r.leaf_remap & X86_PTE_D);
}

/* A read of a not-present guest-physical page: #NPF, not present, user,
 * final translation; the GPA in exit_info_2; RIP at the load. */
static void test_npf_not_present(void **state)
{
	(void)state;
	run(SPAN(t64_load), GPA_ABSENT);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info1, NPF_US | NPF_FINAL);
	assert_int_equal(r.info2, GPA_ABSENT);
	assert_int_equal(r.rip, r.code_pa);
	assert_int_equal(r.rax, 0x1111);
}

/* A write to a read-only nested mapping: #NPF with P and RW set; the page
 * keeps its value. */
static void test_npf_write_read_only(void **state)
{
	(void)state;
	run(SPAN(t64_store), GPA_RO);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info1, NPF_P | NPF_RW | NPF_US | NPF_FINAL);
	assert_int_equal(r.info2, GPA_RO);
	assert_false(r.leaf_ro & X86_PTE_D);
}

/* An instruction that reads and writes its operand faults as a write: RW
 * set for a not-present page (§15.25.6), as for a read-only one; with its
 * address worked out from the operand (XCHG) and by the probe (ROL). */
static void test_npf_read_modify_write(void **state)
{
	(void)state;
	run(SPAN(t64_xchg), GPA_ABSENT + 8);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info1, NPF_RW | NPF_US | NPF_FINAL);
	assert_int_equal(r.info2, GPA_ABSENT + 8);
	assert_int_equal(r.rax, 0x1111);
	run(SPAN(t64_rol_mem), GPA_ABSENT + 16);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info1, NPF_RW | NPF_US | NPF_FINAL);
	assert_int_equal(r.info2, GPA_ABSENT + 16);
	run(SPAN(t64_xchg), GPA_RO);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info1, NPF_P | NPF_RW | NPF_US | NPF_FINAL);
	assert_false(r.leaf_ro & X86_PTE_D);
}

/* A fault in the middle of a block: RIP is the faulting instruction and
 * the instructions before it have retired (RCX = 2), the load has not. */
static void test_npf_exact_rip(void **state)
{
	(void)state;
	run(SPAN(t64_incload), GPA_ABSENT);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.rip, r.code_pa + 6);
	assert_int_equal(r.rcx, 2);
	assert_int_equal(r.rax, 0x1111);
}

/* The exact GPA of the access in exit_info_2, not its page (§15.25.6). */
static void test_npf_exact_offset(void **state)
{
	(void)state;
	run(SPAN(t64_load), GPA_ABSENT + 0x123);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info1, NPF_US | NPF_FINAL);
	assert_int_equal(r.info2, GPA_ABSENT + 0x123);
	assert_int_equal(r.rip, r.code_pa);
}

/* A load that starts on a mapped page and ends on the absent one faults on
 * the absent page's first byte. */
static void test_npf_access_across_pages(void **state)
{
	(void)state;
	run(SPAN(t64_load), GPA_REMAP + 0xffc);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info2, GPA_ABSENT);
	assert_int_equal(r.rip, r.code_pa);
	assert_int_equal(r.rax, 0x1111);
}

/* A bit-string access with a register offset reaches beyond its operand
 * (APM vol. 3, BT): the fault is where the bit's quadword is. */
static void test_npf_bit_string_beyond_operand(void **state)
{
	(void)state;
	run(SPAN(t64_bt), GPA_ABSENT + 0x10);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info2, GPA_ABSENT + 0x250);
	assert_int_equal(r.rip, r.code_pa + 5);
}

/*
 * Decode assists (§15.8.4). The expected bytes are the encodings of the
 * guest's instructions: mov (%rbx),%rax = 48 8B 03, vmmcall = 0F 01 D9,
 * hlt = F4, jmp *%rbx = FF E3.
 */
static const uint8_t load_vmmcall[] = { 0x48, 0x8b, 0x03, 0x0f, 0x01, 0xd9 };
static const uint8_t load_hlt[] = { 0x48, 0x8b, 0x03, 0xf4, 0xf4 };
/* mov $0x12345678,%eax, of which only the first two bytes fit before the page end. */
static const uint8_t mov_imm[] = { 0xb8, 0x78, 0x56, 0x34, 0x12 };
#define MOV_IMM_HEAD 2u

/* A data #NPF: 15 bytes from CS:RIP, here the load, VMMCALL and the zeroed rest of the page. */
static void test_npf_insn_bytes(void **state)
{
	uint8_t want[15] = { 0 };

	(void)state;
	memcpy(want, load_vmmcall, sizeof(load_vmmcall));
	run(SPAN(t64_load), GPA_ABSENT);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.insn_len, 15);
	assert_memory_equal(r.insn_bytes, want, 15);
}

/* A processor without decode assists stores no bytes (§15.8.4): the count
 * is 0, whatever the field held. */
static void test_npf_no_decode_assists(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	cfg.decode_assists = false;
	run_cfg = &cfg;
	run(SPAN(t64_load), GPA_ABSENT);
	run_cfg = NULL;
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info1, NPF_US | NPF_FINAL);
	assert_int_equal(r.insn_len, 0);
}

/* Any other exit clears the count (byte 0 of the field). */
static void test_insn_len_cleared(void **state)
{
	(void)state;
	run(SPAN(t64_load), GPA_REMAP);
	assert_int_equal(r.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(r.insn_len, 0);
}

/*
 * Guest code placed at the end of the page at GPA_REMAP, whose next page
 * (GPA_ABSENT) is not present, and run from there.
 */
static const uint8_t *end_code;
static size_t end_len;

static void page_end_fn(void *arg)
{
	struct tguest g;
	struct npt n;

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_load));
	build_npt(&g, &n);
	memcpy((uint8_t *)arch_phys_to_virt(n.data) + 4096 - end_len, end_code, end_len);
	g.vmcb->save.rip = GPA_REMAP + 4096 - end_len;
	g.gprs.rbx = GPA_ABSENT;
	poison_insn_bytes(&g);
	tg_run(&g);
	record(&g, &n);
}

static void run_page_end(const uint8_t *code, size_t len)
{
	memset(&r, 0, sizeof(r));
	end_code = code;
	end_len = len;
	assert_int_equal(tg_machine_run(NULL, page_end_fn, NULL, 0), 0);
}

/*
 * An instruction-fetch #NPF provides no bytes: not even the two of the
 * straddling instruction that are readable on the first page.
 */
static void test_npf_fetch_no_insn_bytes(void **state)
{
	(void)state;
	run_page_end(mov_imm, MOV_IMM_HEAD);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_true(r.info1 & (1ull << 4)); /* ID: an instruction fetch */
	assert_int_equal(r.info2, GPA_ABSENT);
	assert_int_equal(r.rip, GPA_REMAP + 4096 - MOV_IMM_HEAD);
	assert_int_equal(r.insn_len, 0);
}

/*
 * Three INCs, then an instruction that reaches into the absent page: the
 * INCs retire and the #NPF (an instruction fetch) is taken at the fourth
 * instruction, whose first byte is still on the mapped page.
 */
static const uint8_t incs_then_mov[] = {
	0x48, 0xff, 0xc1, 0x48, 0xff, 0xc1, 0x48, 0xff, 0xc1, 0xb8, 0x78,
};

static void test_npf_fetch_after_instructions(void **state)
{
	(void)state;
	run_page_end(incs_then_mov, sizeof(incs_then_mov));
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info1, NPF_US | NPF_FINAL | (1ull << 4));
	assert_int_equal(r.info2, GPA_ABSENT);
	assert_int_equal(r.rip, GPA_REMAP + 4096 - 2);
	assert_int_equal(r.rcx, 3);
}

/*
 * The same, but the next page's guest page table sits at a guest-physical
 * address the nested tables leave out: the #NPF is on the guest's walk
 * (exit_info_1 bit 33, exit_info_2 the table entry) and still taken at
 * the instruction that reaches the page, after the three INCs.
 */
#define TABLE_CODE_PAGE 0x7ffff000ull /* linear: the last page of a 2 MiB */

static void table_page_end_fn(void *arg)
{
	struct tguest g;
	struct npt n;
	uint64_t *p4, *p3, *pd1, *pd2, pt = arch_page_alloc(), code = arch_page_alloc();

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_load));
	build_npt(&g, &n);
	p4 = arch_phys_to_virt(g.pml4_pa);
	p3 = arch_phys_to_virt(p4[0] & ~0xfffull);
	pd1 = arch_phys_to_virt(p3[1] & ~0xfffull);
	pd2 = arch_phys_to_virt(p3[2] & ~0xfffull);
	((uint64_t *)arch_phys_to_virt(pt))[511] = code | X86_PTE_P | X86_PTE_W;
	pd1[511] = pt | X86_PTE_P | X86_PTE_W;
	pd2[0] = GPA_ABSENT | X86_PTE_P | X86_PTE_W;
	memcpy((uint8_t *)arch_phys_to_virt(code) + 4096 - sizeof(incs_then_mov), incs_then_mov,
	       sizeof(incs_then_mov));
	g.vmcb->save.rip = TABLE_CODE_PAGE + 4096 - sizeof(incs_then_mov);
	tg_run(&g);
	record(&g, &n);
}

static void test_npf_table_fetch_after_instructions(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, table_page_end_fn, NULL, 0), 0);
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.info1, NPF_RW | NPF_US | (1ull << 33));
	assert_int_equal(r.info2, GPA_ABSENT);
	assert_int_equal(r.rip, TABLE_CODE_PAGE + 4096 - 2);
	assert_int_equal(r.rcx, 3);
}

/*
 * A data #NPF on a load five bytes before the page end: the fetch of the
 * bytes stops there, so the count is 5.
 */
static void test_npf_insn_bytes_page_end(void **state)
{
	(void)state;
	run_page_end(load_hlt, sizeof(load_hlt));
	assert_int_equal(r.exit_code, SVM_EXIT_NPF);
	assert_int_equal(r.rip, GPA_REMAP + 4096 - sizeof(load_hlt));
	assert_int_equal(r.insn_len, sizeof(load_hlt));
	assert_memory_equal(r.insn_bytes, load_hlt, sizeof(load_hlt));
}

/* An intercepted #PF on a load above the guest's 4 GiB map: the same 15 bytes. */
static void pf_fn(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_load));
	g.vmcb->control.intercepts[VMCB_INTERCEPT_EXC] |= 1u << X86_VEC_PF;
	g.gprs.rbx = 4ull << 30;
	poison_insn_bytes(&g);
	tg_run(&g);
	r.exit_code = g.vmcb->control.exit_code;
	r.info1 = g.vmcb->control.exit_info_1;
	r.insn_len = g.vmcb->control.insn_len;
	memcpy(r.insn_bytes, g.vmcb->control.insn_bytes, sizeof(r.insn_bytes));
}

/* The same load at an offset, with nested paging on: CR2 is exact there too. */
static void pf_npt_fn(void *arg)
{
	struct tguest g;
	struct npt n;

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_load));
	build_npt(&g, &n);
	g.vmcb->control.intercepts[VMCB_INTERCEPT_EXC] |= 1u << X86_VEC_PF;
	g.gprs.rbx = (4ull << 30) + 0x123;
	tg_run(&g);
	record(&g, &n);
}

static void test_pf_exact_address_under_npt(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, pf_npt_fn, NULL, 0), 0);
	assert_int_equal(r.exit_code, SVM_EXIT_EXCP_BASE + X86_VEC_PF);
	assert_int_equal(r.info1, 0); /* not present, read, supervisor */
	assert_int_equal(r.info2, (4ull << 30) + 0x123);
	assert_int_equal(r.rip, r.code_pa);
}

/*
 * The guest's own mapping need not be identity under nested paging either:
 * linear 3 GiB + 2 MiB maps guest-physical GPA_REMAP, which the nested
 * tables send to the data page.
 */
static void remap_npt_fn(void *arg)
{
	struct tguest g;
	struct npt n;
	uint64_t *p4, *p3, *p2, pt = arch_page_alloc();

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_load));
	build_npt(&g, &n);
	p4 = arch_phys_to_virt(g.pml4_pa);
	p3 = arch_phys_to_virt(p4[0] & ~0xfffull);
	p2 = arch_phys_to_virt(p3[3] & ~0xfffull);
	((uint64_t *)arch_phys_to_virt(pt))[0] = GPA_REMAP | X86_PTE_P | X86_PTE_W;
	p2[1] = pt | X86_PTE_P | X86_PTE_W;
	g.gprs.rbx = (3ull << 30) + (2ull << 20) + 8;
	*(uint64_t *)((uint8_t *)arch_phys_to_virt(n.data) + 8) = 0x0badc0ffee0ddf00ull;
	tg_run(&g);
	record(&g, &n);
}

static void test_npt_guest_paging_not_identity(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, remap_npt_fn, NULL, 0), 0);
	assert_int_equal(r.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(r.rax, 0x0badc0ffee0ddf00ull);
}

/*
 * Code at CPL 3 under nested paging loads DS from a GDT on a page its own
 * tables give to the supervisor only: the descriptor read is an implicit
 * supervisor access (SDM vol. 3 §4.6.1), not a user one, so no #PF. Its
 * own load from that page is a user access and faults.
 */
static const uint8_t user_load_ds[] = {
	0xb8, 0x23, 0x00, 0x00, 0x00, /* mov eax, 0x23 (data, RPL 3) */
	0x8e, 0xd8,                   /* mov ds, eax */
	0x48, 0x8b, 0x03,             /* mov rax, [rbx] (the GDT) */
	0x0f, 0x01, 0xd9,             /* vmmcall */
};
#define USER_LOAD_AT 7u

static uint16_t user_ds;

static void user_ds_fn(void *arg)
{
	struct tguest g;
	struct npt n;
	uint64_t *p4, *p3, *p2, *pt, ptp = arch_page_alloc();

	(void)arg;
	tg_svm_on();
	tg_long(&g, user_load_ds, sizeof(user_load_ds));
	build_npt(&g, &n);
	tg_user(&g);
	/* User pages everywhere but the GDT's. */
	p4 = arch_phys_to_virt(g.pml4_pa);
	p3 = arch_phys_to_virt(p4[0] & ~0xfffull);
	p2 = arch_phys_to_virt(p3[0] & ~0xfffull);
	pt = arch_phys_to_virt(ptp);
	for (uint64_t i = 0; i < 512; i++)
		pt[i] = ((g.gdt_pa & ~0x1fffffull) + (i << 12)) | X86_PTE_P | X86_PTE_W | X86_PTE_U;
	pt[(g.gdt_pa >> 12) & 511] &= ~X86_PTE_U;
	p2[g.gdt_pa >> 21] = ptp | X86_PTE_P | X86_PTE_W | X86_PTE_U;
	g.vmcb->control.intercepts[VMCB_INTERCEPT_EXC] |= 1u << X86_VEC_PF;
	g.gprs.rbx = g.gdt_pa + 8;
	tg_run(&g);
	record(&g, &n);
	user_ds = g.vmcb->save.ds.selector;
	r.rcx = g.gdt_pa;
}

static void test_user_segment_load_under_npt(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, user_ds_fn, NULL, 0), 0);
	assert_int_equal(user_ds, 0x23);
	assert_int_equal(r.exit_code, SVM_EXIT_EXCP_BASE + X86_VEC_PF);
	assert_int_equal(r.info1, X86_PF_P | X86_PF_U); /* protection, read, user */
	assert_int_equal(r.info2, r.rcx + 8);
	assert_int_equal(r.rip, r.code_pa + USER_LOAD_AT);
}

static void test_pf_intercept_insn_bytes(void **state)
{
	uint8_t want[15] = { 0 };

	(void)state;
	memcpy(want, load_vmmcall, sizeof(load_vmmcall));
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, pf_fn, NULL, 0), 0);
	assert_int_equal(r.exit_code, SVM_EXIT_EXCP_BASE + X86_VEC_PF);
	assert_int_equal(r.info1, 0); /* not present, read, supervisor */
	assert_int_equal(r.insn_len, 15);
	assert_memory_equal(r.insn_bytes, want, 15);
}

static int check_mode;

static void checks_fn(void *arg)
{
	struct tguest g;
	struct npt n;

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_load));
	build_npt(&g, &n);
	g.gprs.rbx = GPA_REMAP;
	if (check_mode == 1)
		g.vmcb->control.nested_cr3 = 1ull << 40; /* beyond MAXPHYADDR */
	else if (check_mode == 2)
		g.vmcb->save.g_pat = 0x0007040600070402ull; /* type 2 is reserved */
	tg_run(&g);
	r.exit_code = g.vmcb->control.exit_code;
}

static uint64_t run_checks(int mode, bool npt)
{
	struct emu_config cfg;

	check_mode = mode;
	emu_config_default(&cfg);
	cfg.npt = npt;
	assert_int_equal(tg_machine_run(&cfg, checks_fn, NULL, 0), 0);
	return r.exit_code;
}

/* VMRUN with nested paging: a nested_cr3 beyond MAXPHYADDR, a reserved
 * g_pat type, or NP where the processor has none — VMEXIT_INVALID. */
static void test_npt_vmrun_checks(void **state)
{
	(void)state;
	assert_int_equal(run_checks(0, true), SVM_EXIT_VMMCALL);
	assert_int_equal(run_checks(1, true), SVM_EXIT_ERR);
	assert_int_equal(run_checks(2, true), SVM_EXIT_ERR);
	assert_int_equal(run_checks(0, false), SVM_EXIT_ERR);
}

/*
 * A timed event due inside a block of an NPT guest is taken at exactly that
 * boundary, as without nested paging (tests/emu/test_events.c): the engine
 * must drop the block's translation to arm the exit there.
 */
static struct {
	uint64_t due, fire_rip, fire_cycle, code_pa;
	unsigned fired;
} ev;

static void on_event(struct emu_cpu *cpu)
{
	ev.fired++;
	ev.fire_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
	ev.fire_cycle = cpu->cycle;
	cpu->event_at = ~0ull;
}

static void event_fn(void *arg)
{
	struct emu_cpu *cpu = emu_current_cpu();
	struct tguest g;
	struct npt n;

	(void)arg;
	tg_svm_on();
	tg_long(&g, SPAN_LEN(t64_nops));
	build_npt(&g, &n);
	ev.code_pa = g.code_pa;
	cpu->on_event = on_event;
	/* VMRUN costs 1000 cycles and a NOP 1 (docs/cycle-costs.md): after the fifth. */
	ev.due = cpu->cycle + 1000 + 5;
	cpu->event_at = ev.due;
	tg_run(&g);
	record(&g, &n);
}

static void test_npt_event_inside_block(void **state)
{
	(void)state;
	memset(&ev, 0, sizeof(ev));
	memset(&r, 0, sizeof(r));
	assert_int_equal(tg_machine_run(NULL, event_fn, NULL, 0), 0);
	assert_int_equal(ev.fired, 1);
	assert_int_equal(ev.fire_rip, ev.code_pa + 5);
	assert_int_equal(ev.fire_cycle, ev.due);
	assert_int_equal(r.exit_code, SVM_EXIT_VMMCALL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_npt_remap_read),
		cmocka_unit_test(test_npt_write_sets_dirty),
		cmocka_unit_test(test_npf_not_present),
		cmocka_unit_test(test_npf_write_read_only),
		cmocka_unit_test(test_npf_read_modify_write),
		cmocka_unit_test(test_npf_exact_rip),
		cmocka_unit_test(test_npt_event_inside_block),
		cmocka_unit_test(test_npt_vmrun_checks),
		cmocka_unit_test(test_npf_insn_bytes),
		cmocka_unit_test(test_npf_no_decode_assists),
		cmocka_unit_test(test_insn_len_cleared),
		cmocka_unit_test(test_npf_fetch_no_insn_bytes),
		cmocka_unit_test(test_npf_insn_bytes_page_end),
		cmocka_unit_test(test_pf_intercept_insn_bytes),
		cmocka_unit_test(test_npf_exact_offset),
		cmocka_unit_test(test_npf_access_across_pages),
		cmocka_unit_test(test_npf_bit_string_beyond_operand),
		cmocka_unit_test(test_npf_fetch_after_instructions),
		cmocka_unit_test(test_npf_table_fetch_after_instructions),
		cmocka_unit_test(test_pf_exact_address_under_npt),
		cmocka_unit_test(test_npt_guest_paging_not_identity),
		cmocka_unit_test(test_user_segment_load_under_npt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
