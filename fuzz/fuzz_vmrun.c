/* SPDX-License-Identifier: MIT */
/*
 * VMRUN on the model with a hostile VMCB and hostile guest code. Input
 * (inputs.h): flags (nested paging, vNMI and NRIP save in the model; one
 * to four VMRUNs in a row, each on the VMCB the #VMEXIT before it left),
 * the VMCB byte for byte (zeros where the input ends), guest code.
 *
 * On a fresh machine, host code builds the guest of vmrun_env.h (tables,
 * GDT, IDT, stack, nested tables, the code at a fixed address), then
 * replaces the VMCB with the input's and runs VMRUN. The run must end, at a #VMEXIT of any kind or a model
 * error that says why (the cycle limit among them), without a crash, an
 * abort or a sanitizer report. The machine and the input decide
 * everything, so every input runs the same way each time.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emu/emu.h"
#include "fuzz.h"
#include "inputs.h"
#include "vmrun_env.h"

/* Enough for a guest to reach intercepts and faults, little enough to stay fast. */
#define CYCLE_LIMIT 100000u

static struct {
	uint8_t vmcb[FZ_VMCB_SIZE];
	uint8_t code[FZ_CODE_MAX];
	size_t code_len;
	unsigned vmruns;
} input;

static void host(void *arg)
{
	struct fz_vmrun_env e;

	(void)arg;
	fz_vmrun_env(&e, input.code, input.code_len);
	memcpy(e.g.vmcb, input.vmcb, FZ_VMCB_SIZE);
	for (unsigned i = 0; i < input.vmruns; i++)
		if (tg_run(&e.g) != ARCH_OK)
			break;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct emu_config cfg;
	struct emu_machine *m;
	char err[256];
	uint8_t flags = fz_u8(&in);

	fz_bytes(&in, input.vmcb, FZ_VMCB_SIZE);
	input.code_len = fz_bytes(&in, input.code, FZ_CODE_MAX);
	input.vmruns = 1u + ((flags >> FZ_VMRUN_RUNS_SHIFT) & 3u);
	emu_config_default(&cfg);
	cfg.npt = (flags & FZ_VMRUN_NPT) != 0;
	cfg.vnmi = (flags & FZ_VMRUN_VNMI) != 0;
	cfg.nrips = (flags & FZ_VMRUN_NRIPS) != 0;
	cfg.max_cycles = CYCLE_LIMIT;
	m = fz_machine_create(&cfg, err, sizeof(err));
	FZ_CHECK(m != NULL);
	if (emu_machine_run(m, host, NULL) != 0)
		FZ_CHECK(strlen(emu_machine_error(m)) > 0);
	emu_machine_destroy(m);
	return 0;
}
