/* SPDX-License-Identifier: MIT */
/*
 * The core's guest page walk and instruction fetch (hv/src/core/
 * insn_fetch.c) on hostile guest state and hostile page tables. Input
 * (inputs.h): nested paging or not, what to fetch from where, then the
 * contents of the guest's RAM, FAKE_RAM_SIZE bytes at physical 0
 * (fake_arch.h), whose tables the walk reads. Besides memory safety:
 *
 *   - without paging the guest-physical address is the linear one, cut
 *     to 32 bits; with it the page offset survives every page size, a
 *     legacy walk yields at most 40 bits (PSE-36) and the others at most
 *     52 (APM vol. 2 §5.2-§5.3); five-level paging is not walked;
 *   - the fetch reads at most what was asked, each byte from where the
 *     walk puts its address, and stops only where the next byte cannot be
 *     read: a non-canonical address, past the CS limit, no translation,
 *     or no memory there.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake_arch.h"
#include "fuzz.h"
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/backend.h"
#include "hv/svm_npt.h"
#include "hv/vm.h"
#include "inputs.h"
#include "insn.h"
#include "x86/cpu.h"

#define PAGE 4096ull

static struct hv_vm vm;
static struct hv_vcpu vcpu;

/* The byte at guest-physical gpa as the fetch must see it, or -1 if none. */
static int guest_byte(uint64_t gpa)
{
	uint64_t spa = gpa;
	const uint8_t *first, *last;

	if (vm.config.use_npt &&
	    !hv_npt_translate(&vm.backend.svm.npt, gpa & ~(PAGE - 1), &spa))
		return -1;
	spa = (spa & ~(PAGE - 1)) | (gpa & (PAGE - 1));
	first = arch_phys_to_virt(spa & ~(PAGE - 1));
	last = arch_phys_to_virt((spa & ~(PAGE - 1)) + PAGE - 1);
	return first && last ? first[spa & (PAGE - 1)] : -1;
}

static void check_translate(const struct hv_insn_state *st, uint64_t la)
{
	uint64_t gpa = 0;
	bool ok = hv_insn_translate(&vcpu, st, la, &gpa);

	if (!(st->cr0 & X86_CR0_PG)) {
		FZ_CHECK(ok && gpa == (la & 0xffffffffull));
		return;
	}
	if ((st->efer & X86_EFER_LMA) && (st->cr4 & X86_CR4_LA57))
		FZ_CHECK(!ok);
	if (!ok)
		return;
	FZ_CHECK((gpa & (PAGE - 1)) == (la & (PAGE - 1)));
	if (!(st->efer & X86_EFER_LMA) && !(st->cr4 & X86_CR4_PAE))
		FZ_CHECK(gpa < (1ull << 40));
	else
		FZ_CHECK(gpa < (1ull << 52));
}

/* The linear address of CS:RIP + i and whether it may be fetched at all. */
static bool code_la(const struct hv_insn_state *st, unsigned i, uint64_t *la)
{
	unsigned mode = hv_insn_mode(st);
	uint64_t off;

	if (mode == 64) {
		*la = st->rip + i;
		return (uint64_t)((int64_t)(*la << 16) >> 16) == *la;
	}
	off = (st->rip + i) & (mode == 32 ? 0xffffffffull : 0xffffull);
	*la = (st->seg_base[HV_SEG_CS] + off) & 0xffffffffull;
	return off <= st->cs_limit;
}

/*
 * Nested tables with their hole at hole, false if there can be none. The
 * fetch only reads them: the last ones built serve the next input with
 * the same hole.
 */
static bool nested_tables(uint64_t hole, struct hv_npt *out)
{
	static struct hv_npt npt;
	static bool built;
	static int rc;

	if (!built || npt.hole != hole) {
		fake_pool_reset();
		rc = hv_npt_build(&npt, hole);
		npt.hole = hole;
		built = true;
	}
	*out = npt;
	return rc == HV_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct hv_insn_state st;
	uint8_t flags, want, *buf;
	uint64_t hole, la, gpa;
	unsigned n;

	fake_arch_reset();
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	memset(&st, 0, sizeof(st));
	flags = fz_u8(&in);
	hole = fz_u64(&in);
	want = fz_u8(&in);
	fz_insn_state(&in, &st);
	la = fz_u64(&in);
	while (in.n) {
		uint32_t at = fz_u16(&in), len = fz_u8(&in);

		fz_bytes(&in, fake_ram() + at, at + len > FAKE_RAM_SIZE ? FAKE_RAM_SIZE - at : len);
	}
	vcpu.vm = &vm;
	/* The SVM backend's nested tables are the VM's second-level tables. */
	vm.ops = &svm_vcpu_ops;
	vm.config.use_npt = (flags & FZ_FETCH_NPT) && nested_tables(hole, &vm.backend.svm.npt);

	check_translate(&st, la);
	buf = malloc(want ? want : 1u);
	FZ_CHECK(buf != NULL);
	n = hv_insn_fetch(&vcpu, &st, buf, want);
	FZ_CHECK(n <= want);
	for (unsigned i = 0; i < n; i++) {
		FZ_CHECK(code_la(&st, i, &la));
		check_translate(&st, la);
		FZ_CHECK(hv_insn_translate(&vcpu, &st, la, &gpa));
		FZ_CHECK(guest_byte(gpa) == buf[i]);
	}
	if (n < want && code_la(&st, n, &la) && hv_insn_translate(&vcpu, &st, la, &gpa))
		FZ_CHECK(guest_byte(gpa) < 0);
	free(buf);
	return 0;
}
