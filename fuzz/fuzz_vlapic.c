/* SPDX-License-Identifier: MIT */
/*
 * The virtual local APIC (hv/src/core/vlapic.c, vlapic_mmio.c), on the MP
 * code's bus (mp.c) and reached through the core's xAPIC-page emulation
 * (mmio.c), of a VM of one to four vCPUs, driven by a hostile guest:
 * register accesses at any offset with any value, RDMSR/WRMSR of any MSR,
 * #NPF exits at any address with any instruction bytes, access kind and
 * guest state (the xAPIC page, including the fetch through the guest's
 * page tables when the exit carries no bytes), entries and exits. The vCPUs' backend is this file;
 * the platform is fake_arch.c.
 *
 * Input: a configuration byte (vCPUs, nested paging), then operations
 * and their arguments (inputs.h). After every operation:
 *   - a read, a refused write and a WRMSR that #GPs leave every vCPU's
 *     registers as they were (hv/src/core/vlapic_reg.h, §10.12.1.2);
 *   - an emulated access resumes after an instruction of 1-15 bytes (no
 *     more than the exit carried); one the core refuses changes nothing
 *     and reports HV_INTERNAL_EMULATION;
 *   - no IRR or ISR holds a vector below 16 (SDM vol. 3 §10.5.3), and
 *     neither V_IRQ nor delivery is ever asked for one;
 *   - in x2APIC mode the APIC ID is the vCPU's (§10.12.5.1).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fake_arch.h"
#include "fuzz.h"
#include "hv/lib.h"
#include "hv/svm_npt.h"
#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "inputs.h"
#include "insn.h"
#include "mmio.h"
#include "mp.h"
#include "vlapic_reg.h"
#include "x86/apic.h"

#define NR_MAX 4

static struct hv_vm vm;
static struct hv_vcpu vcpus[NR_MAX];

/* The backend's side of each vCPU: what the next exit looks like. */
static struct backend {
	uint64_t gpr[16];
	struct hv_insn_state st;
	uint8_t insn[HV_INSN_MAX];
	unsigned insn_len;
	bool v_irq_pending; /* the guest has not yet taken V_IRQ */
	unsigned skips, skip_len;
} be[NR_MAX];

static uint64_t get_gpr(struct hv_vcpu *v, unsigned n)
{
	FZ_CHECK(n < 16);
	return be[v->id].gpr[n];
}

static void set_gpr(struct hv_vcpu *v, unsigned n, uint64_t value)
{
	FZ_CHECK(n < 16);
	be[v->id].gpr[n] = value;
}

static void get_insn_state(struct hv_vcpu *v, struct hv_insn_state *st)
{
	*st = be[v->id].st;
}

static unsigned get_insn_bytes(struct hv_vcpu *v, uint8_t *buf, unsigned size)
{
	unsigned n = be[v->id].insn_len < size ? be[v->id].insn_len : size;

	memcpy(buf, be[v->id].insn, n);
	return n;
}

static void skip_instruction(struct hv_vcpu *v, unsigned len)
{
	be[v->id].skips++;
	be[v->id].skip_len = len;
}

static bool irq_request_pending(struct hv_vcpu *v)
{
	return be[v->id].v_irq_pending;
}

static void set_irq_request(struct hv_vcpu *v, int vector)
{
	(void)v;
	FZ_CHECK(vector == -1 || (vector >= 16 && vector <= 255));
}

/* The VM's second-level tables: SVM's nested tables, in its backend state. */
static bool vm_memory_translate(const struct hv_vm *m, uint64_t gpa, uint64_t *spa)
{
	return hv_npt_translate(&m->backend.svm.npt, gpa, spa);
}

static const struct hv_vcpu_ops ops = {
	.name = "fuzz",
	.get_gpr = get_gpr,
	.set_gpr = set_gpr,
	.get_insn_state = get_insn_state,
	.get_insn_bytes = get_insn_bytes,
	.skip_instruction = skip_instruction,
	.irq_request_pending = irq_request_pending,
	.set_irq_request = set_irq_request,
	.vm_memory_translate = vm_memory_translate,
};

/* Everything a register access may change, on every vCPU. */
struct snapshot {
	struct hv_vlapic apic[NR_MAX];
	uint32_t events[NR_MAX], nmis[NR_MAX], posts[NR_MAX];
	uint64_t gpr[NR_MAX][16];
};

static void take(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (uint32_t i = 0; i < vm.nr_vcpus; i++) {
		s->apic[i] = vcpus[i].apic;
		s->events[i] = vcpus[i].mailbox.events;
		s->nmis[i] = vcpus[i].mailbox.nmis;
		s->posts[i] = vcpus[i].mailbox.posts;
		memcpy(s->gpr[i], be[i].gpr, sizeof(be[i].gpr));
	}
}

static bool unchanged(const struct snapshot *before)
{
	struct snapshot now;

	take(&now);
	return memcmp(before, &now, sizeof(now)) == 0;
}

static void check_invariants(void)
{
	for (uint32_t i = 0; i < vm.nr_vcpus; i++) {
		struct hv_vcpu *v = &vcpus[i];
		int d = hv_vlapic_deliverable(&v->apic);

		FZ_CHECK((v->apic.irr[0] & 0xffffu) == 0 && (v->apic.isr[0] & 0xffffu) == 0);
		FZ_CHECK(d == -1 || (d >= 16 && d <= 255));
		if (hv_vlapic_mode(v->apic.apic_base) == VLAPIC_X2APIC)
			FZ_CHECK(v->apic.id == v->id);
	}
}

static void npf(struct fz_in *in, struct hv_vcpu *v)
{
	struct backend *b = &be[v->id];
	struct snapshot before;
	struct hv_exit exit;
	uint64_t gpa = fz_u64(in);
	uint32_t access = fz_u8(in);
	int r;

	fz_insn_state(in, &b->st);
	b->insn_len = fz_u8(in) % (HV_INSN_MAX + 1);
	fz_bytes(in, b->insn, b->insn_len);
	b->skips = 0;
	memset(&exit, 0, sizeof(exit));
	take(&before);
	/* The core asks only about its own page (hv/src/core/exit.c). */
	if (!hv_mmio_apic_page(v, gpa))
		return;
	r = hv_mmio_emulate(v, gpa, access, &exit);
	if (r == 1) {
		FZ_CHECK(b->skips == 1 && b->skip_len >= 1 && b->skip_len <= HV_INSN_MAX);
		FZ_CHECK(b->insn_len == 0 || b->skip_len <= b->insn_len);
	} else {
		FZ_CHECK(r == 0 && b->skips == 0);
		FZ_CHECK(exit.reason == HV_EXIT_INTERNAL_ERROR &&
			 exit.internal.suberror == HV_INTERNAL_EMULATION &&
			 exit.internal.insn_len <= HV_INSN_MAX);
		FZ_CHECK(unchanged(&before));
	}
}

static void one_op(struct fz_in *in)
{
	unsigned op = fz_u8(in) % FZ_OP_COUNT;
	struct hv_vcpu *v = &vcpus[fz_u8(in) % vm.nr_vcpus];
	struct snapshot before;
	uint64_t value = 0;
	uint32_t x;

	switch (op) {
	case FZ_OP_REG_READ:
		x = fz_u32(in);
		take(&before);
		(void)hv_vlapic_reg_read(&v->apic, x, &value);
		FZ_CHECK(unchanged(&before));
		break;
	case FZ_OP_REG_WRITE:
		x = fz_u32(in);
		value = fz_u64(in);
		take(&before);
		if (hv_vlapic_reg_write(&v->apic, x, value) != VLAPIC_OK)
			FZ_CHECK(unchanged(&before));
		break;
	case FZ_OP_RDMSR:
		x = fz_u32(in);
		take(&before);
		(void)hv_vlapic_rdmsr(&v->apic, x, &value);
		FZ_CHECK(unchanged(&before));
		break;
	case FZ_OP_WRMSR:
		x = fz_u32(in);
		value = fz_u64(in);
		take(&before);
		if (!hv_vlapic_wrmsr(&v->apic, x, value))
			FZ_CHECK(unchanged(&before));
		break;
	case FZ_OP_NPF:
		npf(in, v);
		break;
	case FZ_OP_POKE: {
		/* Guest memory for the fetch path: up to 255 bytes at any RAM offset. */
		uint32_t at = fz_u16(in), len = fz_u8(in);

		if (at + len > FAKE_RAM_SIZE)
			len = FAKE_RAM_SIZE - at;
		fz_bytes(in, fake_ram() + at, len);
		break;
	}
	case FZ_OP_ENTRY:
		/*
		 * An entry, and an exit after which V_IRQ is still pending or was
		 * taken, as the run loop does them (hv/src/core/run.c).
		 */
		be[v->id].v_irq_pending = fz_u8(in) & 1;
		set_irq_request(v, hv_vlapic_prepare_entry(&v->apic));
		hv_vlapic_sync_after_exit(&v->apic, irq_request_pending(v));
		FZ_CHECK(v->apic.virq_vector == -1);
		break;
	case FZ_OP_RESET:
		hv_vlapic_reset(&v->apic, fz_u8(in) & 1);
		break;
	case FZ_OP_GPR:
		x = fz_u8(in) % 16;
		be[v->id].gpr[x] = fz_u64(in);
		break;
	}
	check_invariants();
}

/* The VM's nested tables, the hole at the xAPIC page: built once, only ever read. */
static struct hv_npt npt;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fake_pool_reset();
	FZ_CHECK(hv_npt_build(&npt, APIC_DEFAULT_BASE) == HV_OK);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	uint8_t cfg = fz_u8(&in);

	fake_arch_reset();
	memset(&vm, 0, sizeof(vm));
	memset(vcpus, 0, sizeof(vcpus));
	memset(be, 0, sizeof(be));
	vm.nr_vcpus = 1u + (cfg & FZ_VLAPIC_CPUS);
	vm.config.nr_vcpus = vm.nr_vcpus;
	vm.config.use_npt = (cfg & FZ_VLAPIC_NPT) != 0;
	vm.ops = &ops;
	vm.backend.svm.npt = npt;
	vm.apic_page = APIC_DEFAULT_BASE;
	for (uint32_t i = 0; i < vm.nr_vcpus; i++) {
		vcpus[i].id = i;
		vcpus[i].ops = &ops;
		vcpus[i].vm = &vm;
		vm.vcpus[i] = &vcpus[i];
		/* On the VM's bus, reset as at power-on (as hv_vm_create does). */
		hv_mp_attach(&vcpus[i]);
	}
	while (in.n)
		one_op(&in);
	return 0;
}
