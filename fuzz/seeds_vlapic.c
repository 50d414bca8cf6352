/* SPDX-License-Identifier: MIT */
/*
 * Seeds of the virtual APIC target: what the xAPIC and x2APIC scenarios
 * (conformance/src/apic, conformance/src/mp) make a guest do. Register
 * setup and IPIs of each kind through the register file and the MSRs, the
 * xAPIC page through #NPF with the instruction bytes the processor stores
 * (the MOV forms of conformance/src/guest/xapic.S) or fetched from guest
 * memory through the guest's page tables, and IA32_APIC_BASE transitions.
 */
#include <stdbool.h>
#include <stdint.h>

#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "inputs.h"
#include "make_seeds.h"
#include "x86/apic.h"
#include "x86/cpu.h"
#include "x86/msr.h"

#define APIC_PAGE 0xfee00000ull
#define GPR_RAX 0
#define GPR_RBX 3

static FILE *f;

static void op(unsigned code, unsigned vcpu)
{
	fz_put(f, code, 1);
	fz_put(f, vcpu, 1);
}

static void reg_write(unsigned v, uint32_t offset, uint64_t value)
{
	op(FZ_OP_REG_WRITE, v);
	fz_put(f, offset, 4);
	fz_put(f, value, 8);
}

static void reg_read(unsigned v, uint32_t offset)
{
	op(FZ_OP_REG_READ, v);
	fz_put(f, offset, 4);
}

static void wrmsr(unsigned v, uint32_t msr, uint64_t value)
{
	op(FZ_OP_WRMSR, v);
	fz_put(f, msr, 4);
	fz_put(f, value, 8);
}

static void rdmsr(unsigned v, uint32_t msr)
{
	op(FZ_OP_RDMSR, v);
	fz_put(f, msr, 4);
}

static void gpr(unsigned v, unsigned n, uint64_t value)
{
	op(FZ_OP_GPR, v);
	fz_put(f, n, 1);
	fz_put(f, value, 8);
}

static void entry(unsigned v, unsigned still_pending)
{
	op(FZ_OP_ENTRY, v);
	fz_put(f, still_pending, 1);
}

static void poke(uint16_t at, const void *bytes, uint8_t n)
{
	op(FZ_OP_POKE, 0);
	fz_put(f, at, 2);
	fz_put(f, n, 1);
	fwrite(bytes, 1, n, f);
}

static void poke64(uint16_t at, uint64_t v)
{
	op(FZ_OP_POKE, 0);
	fz_put(f, at, 2);
	fz_put(f, 8, 1);
	fz_put(f, v, 8);
}

/* A #NPF at gpa with the guest state st and, unless n is 0, the stored bytes. */
static void npf(unsigned v, uint64_t gpa, uint32_t access, const struct hv_insn_state *st,
		const uint8_t *bytes, uint8_t n)
{
	op(FZ_OP_NPF, v);
	fz_put(f, gpa, 8);
	fz_put(f, access, 1);
	fz_put_insn_state(f, st);
	fz_put(f, n, 1);
	if (n)
		fwrite(bytes, 1, n, f);
}

static void begin(const char *name, unsigned cpus, bool npt)
{
	f = seed_open("vlapic", name);
	fz_put(f, (cpus - 1) | (npt ? FZ_VLAPIC_NPT : 0), 1);
}

/* 32-bit protected mode without paging: linear is physical. */
static const struct hv_insn_state prot32 = {
	.cs_attrib = 0xc9b, .cs_limit = 0xffffffff, .cr0 = X86_CR0_PE,
};

static void xapic_registers(void)
{
	begin("xapic-self-ipi", 1, true);
	reg_write(0, APIC_SVR, APIC_SVR_ENABLE | 0xff);
	reg_write(0, APIC_TPR, 0x20);
	reg_read(0, APIC_PPR);
	reg_write(0, APIC_ICR_LOW, APIC_DEST_SELF | APIC_DM_FIXED | APIC_INT_ASSERT | 0x40);
	reg_read(0, APIC_IRR + 0x20);
	entry(0, 0);
	reg_read(0, APIC_ISR + 0x20);
	reg_write(0, APIC_EOI, 0);
	reg_write(0, APIC_ICR_LOW, APIC_DEST_SELF | APIC_DM_FIXED | 0x08);
	reg_write(0, APIC_ESR, 0);
	reg_read(0, APIC_ESR);
	seed_close(f);

	begin("xapic-ipis", 4, true);
	for (unsigned v = 0; v < 4; v++) {
		reg_write(v, APIC_SVR, APIC_SVR_ENABLE | 0xff);
		reg_write(v, APIC_LDR, (1u << v) << 24);
	}
	reg_write(0, APIC_ICR_HIGH, 1u << 24);
	reg_write(0, APIC_ICR_LOW, APIC_DM_INIT | APIC_INT_ASSERT);
	reg_write(0, APIC_ICR_LOW, APIC_DM_STARTUP | 0x08);
	reg_write(0, APIC_ICR_HIGH, 0xffu << 24);
	reg_write(0, APIC_ICR_LOW, APIC_DM_FIXED | APIC_INT_ASSERT | 0x41);
	reg_write(0, APIC_ICR_LOW, APIC_DM_LOWEST | APIC_INT_ASSERT | 0x42);
	reg_write(0, APIC_ICR_HIGH, 0x06u << 24);
	reg_write(0, APIC_ICR_LOW, APIC_DEST_LOGICAL | APIC_DM_FIXED | APIC_INT_ASSERT | 0x43);
	reg_write(2, APIC_DFR, APIC_DFR_CLUSTER);
	reg_write(0, APIC_ICR_LOW, APIC_DEST_ALLBUT | APIC_DM_NMI | APIC_INT_ASSERT);
	reg_write(0, APIC_ICR_LOW, APIC_DM_INIT | APIC_INT_LEVELTRIG);
	entry(1, 0);
	entry(2, 1);
	seed_close(f);
}

static void xapic_page(void)
{
	/* mov %eax,0xf0(%rbx); mov 0x20(%rbx),%eax; movl $0x10,0x80(%rbx); mov 0xfee00030,%eax */
	static const uint8_t store_svr[] = { 0x89, 0x83, 0xf0, 0x00, 0x00, 0x00 };
	static const uint8_t load_id[] = { 0x8b, 0x43, 0x20 };
	static const uint8_t store_tpr[] = { 0xc7, 0x83, 0x80, 0x00, 0x00, 0x00,
					     0x10, 0x00, 0x00, 0x00 };
	static const uint8_t moffs[] = { 0xa1, 0x30, 0x00, 0xe0, 0xfe };
	static const uint8_t load16[] = { 0x66, 0x8b, 0x43, 0x20 };
	struct hv_insn_state st = prot32;

	begin("xapic-mmio", 2, true);
	gpr(0, GPR_RBX, APIC_PAGE);
	gpr(0, GPR_RAX, APIC_SVR_ENABLE | 0xff);
	npf(0, APIC_PAGE + APIC_SVR, HV_GPA_WRITE, &st, store_svr, sizeof(store_svr));
	npf(0, APIC_PAGE + APIC_ID, 0, &st, load_id, sizeof(load_id));
	npf(0, APIC_PAGE + APIC_TPR, HV_GPA_WRITE, &st, store_tpr, sizeof(store_tpr));
	npf(0, APIC_PAGE + APIC_VERSION, 0, &st, moffs, sizeof(moffs));
	npf(0, APIC_PAGE + APIC_ID, 0, &st, load16, sizeof(load16));
	seed_close(f);

	/* Long mode, no stored bytes: the fetch through the guest's tables (2 MiB pages). */
	begin("xapic-mmio-fetch", 1, true);
	poke64(0x3000, 0x4000 | X86_PTE_P | X86_PTE_W);
	poke64(0x4000, 0x5000 | X86_PTE_P | X86_PTE_W);
	poke64(0x4000 + 3 * 8, 0x6000 | X86_PTE_P | X86_PTE_W);
	poke64(0x5000, X86_PTE_P | X86_PTE_W | X86_PTE_PS);
	poke64(0x6000 + 0x1f7 * 8, APIC_PAGE | X86_PTE_P | X86_PTE_W | X86_PTE_PS);
	poke(0x1000, load_id, sizeof(load_id));
	gpr(0, GPR_RBX, APIC_PAGE);
	st = (struct hv_insn_state){ .rip = 0x1000, .cs_attrib = 0xa9b, .cr0 = X86_CR0_PE | X86_CR0_PG,
				     .cr3 = 0x3000, .cr4 = X86_CR4_PAE,
				     .efer = X86_EFER_LME | X86_EFER_LMA };
	npf(0, APIC_PAGE + APIC_ID, 0, &st, NULL, 0);
	seed_close(f);
}

static void x2apic(void)
{
	begin("x2apic", 2, false);
	wrmsr(0, APIC_X2APIC_MSR(APIC_SVR), APIC_SVR_ENABLE | 0xff);
	wrmsr(1, APIC_X2APIC_MSR(APIC_SVR), APIC_SVR_ENABLE | 0xff);
	rdmsr(0, APIC_X2APIC_MSR(APIC_ID));
	rdmsr(0, APIC_X2APIC_MSR(APIC_VERSION));
	rdmsr(1, APIC_X2APIC_MSR(APIC_LDR));
	wrmsr(0, APIC_X2APIC_MSR(APIC_TPR), 0x10);
	wrmsr(0, APIC_X2APIC_MSR(APIC_ICR_LOW), (1ull << 32) | APIC_INT_ASSERT | 0x50);
	wrmsr(0, APIC_X2APIC_MSR(APIC_SELF_IPI), 0x60);
	entry(0, 0);
	entry(1, 0);
	wrmsr(0, APIC_X2APIC_MSR(APIC_EOI), 0);
	rdmsr(0, MSR_IA32_APIC_BASE);
	wrmsr(0, MSR_IA32_APIC_BASE, 0xfed00000 | MSR_APIC_BASE_EN | MSR_APIC_BASE_EXTD |
				     MSR_APIC_BASE_BSP);
	seed_close(f);
}

static void apic_base(void)
{
	static const uint8_t load_id[] = { 0x8b, 0x43, 0x20 };
	struct hv_insn_state st = prot32;
	const uint64_t en = APIC_PAGE | MSR_APIC_BASE_EN | MSR_APIC_BASE_BSP;

	/* Figure 10-27 of SDM vol. 3: up to x2APIC, refused back, off, on again. */
	begin("apic-base", 1, true);
	gpr(0, GPR_RBX, APIC_PAGE);
	wrmsr(0, MSR_IA32_APIC_BASE, en | MSR_APIC_BASE_EXTD);
	npf(0, APIC_PAGE + APIC_ID, 0, &st, load_id, sizeof(load_id));
	wrmsr(0, MSR_IA32_APIC_BASE, en);
	wrmsr(0, MSR_IA32_APIC_BASE, APIC_PAGE | MSR_APIC_BASE_BSP);
	npf(0, APIC_PAGE + APIC_ID, 0, &st, load_id, sizeof(load_id));
	wrmsr(0, MSR_IA32_APIC_BASE, en | MSR_APIC_BASE_EXTD);
	wrmsr(0, MSR_IA32_APIC_BASE, en);
	op(FZ_OP_RESET, 0);
	fz_put(f, 0, 1);
	seed_close(f);
}

void seeds_vlapic(void)
{
	xapic_registers();
	xapic_page();
	x2apic();
	apic_base();
}
