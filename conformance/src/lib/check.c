/* SPDX-License-Identifier: MIT */
/* Outcomes and decoded checks (see conf/check.h). */
#include "conf/check.h"
#include "ctx.h"
#include "hv/lib.h"
#include "hv/svm.h"

conf_outcome_t conf_outcome_vmrun(arch_fault_t fault, uint64_t exit_code)
{
	if (fault != ARCH_OK)
		return CONF_OUT_FAULT(ARCH_FAULT_VECTOR(fault));
	/*
	 * VMEXIT_INVALID is -1 in the 64-bit EXITCODE. Some implementations
	 * store only the low 32 bits (as KVM's exit_code/exit_code_hi split
	 * reads it); svm_vmrun_invalid_exit_code checks the full value.
	 */
	if ((uint32_t)exit_code == (uint32_t)SVM_EXIT_ERR)
		return CONF_OUT_INVALID;
	return CONF_OUT_VMEXIT(exit_code);
}

static const char *const vector_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9",
	"#TS", "#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XF",
	"vector 20", "#CP", "vector 22", "vector 23", "vector 24", "vector 25",
	"vector 26", "vector 27", "#HV", "#VC", "#SX", "vector 31",
};

void conf_outcome_format(conf_outcome_t o, char *buf, size_t size)
{
	uint64_t v = CONF_OUT_VALUE(o);

	switch (CONF_OUT_KIND(o)) {
	case 1:
		hv_snprintf(buf, size, "#VMEXIT(0x%llx %s)", (unsigned long long)v,
			    svm_exit_name(v));
		return;
	case 2:
		hv_snprintf(buf, size, "VMEXIT_INVALID");
		return;
	case 3:
		hv_snprintf(buf, size, "%s on VMRUN", v < 32 ? vector_names[v] : "fault");
		return;
	}
	hv_snprintf(buf, size, "no outcome (0x%llx)", (unsigned long long)o);
}

bool conf_check_outcome(struct conf_ctx *ctx, const char *what, conf_outcome_t got,
			conf_outcome_t want)
{
	char g[64], w[64];
	bool ok = got == want;

	conf_count_check_values(ctx, what, ok, got, want, CONF_EV_GOT | CONF_EV_WANT);
	if (!ok) {
		conf_outcome_format(got, g, sizeof(g));
		conf_outcome_format(want, w, sizeof(w));
		conf_fail(ctx, "%s: got %s, want %s", what, g, w);
	}
	return ok;
}

bool conf_check_exit(struct conf_ctx *ctx, const char *what, uint64_t got, uint64_t want)
{
	bool ok = got == want;

	conf_count_check_values(ctx, what, ok, got, want, CONF_EV_GOT | CONF_EV_WANT);
	if (!ok)
		conf_fail(ctx, "%s: got 0x%llx (%s), want 0x%llx (%s)", what,
			  (unsigned long long)got, svm_exit_name(got), (unsigned long long)want,
			  svm_exit_name(want));
	return ok;
}

static void format_event(uint32_t e, char *buf, size_t size)
{
	uint32_t type = (e & SVM_EVTINJ_TYPE_MASK) >> SVM_EVTINJ_TYPE_SHIFT;

	if (!(e & SVM_EVTINJ_VALID)) {
		hv_snprintf(buf, size, "0x%x (not valid)", e);
		return;
	}
	hv_snprintf(buf, size, "0x%x (valid %s vector %u%s)", e, svm_event_type_name(type),
		    e & SVM_EVTINJ_VEC_MASK, (e & SVM_EVTINJ_VALID_ERR) ? " +error code" : "");
}

bool conf_check_event(struct conf_ctx *ctx, const char *what, uint32_t got, uint32_t want)
{
	char g[64], w[64];
	bool ok = got == want;

	conf_count_check_values(ctx, what, ok, got, want, CONF_EV_GOT | CONF_EV_WANT);
	if (!ok) {
		format_event(got, g, sizeof(g));
		format_event(want, w, sizeof(w));
		conf_fail(ctx, "%s: got %s, want %s", what, g, w);
	}
	return ok;
}

bool conf_check_bit(struct conf_ctx *ctx, const char *what, uint64_t value, uint64_t bit,
		    bool want)
{
	bool got = (value & bit) != 0, ok = got == want;

	conf_count_check_values(ctx, what, ok, got, want, CONF_EV_GOT | CONF_EV_WANT);
	if (!ok)
		conf_fail(ctx, "%s: got %d, want %d (field 0x%llx)", what, got, want,
			  (unsigned long long)value);
	return ok;
}

bool conf_check_masked(struct conf_ctx *ctx, const char *what, uint64_t got, uint64_t mask,
		       uint64_t want)
{
	bool ok = (got & mask) == want;

	conf_count_check_values(ctx, what, ok, got & mask, want, CONF_EV_GOT | CONF_EV_WANT);
	if (!ok)
		conf_fail(ctx, "%s: got 0x%llx (& 0x%llx = 0x%llx), want 0x%llx", what,
			  (unsigned long long)got, (unsigned long long)mask,
			  (unsigned long long)(got & mask), (unsigned long long)want);
	return ok;
}

bool conf_check_range(struct conf_ctx *ctx, const char *what, uint64_t got, uint64_t lo,
		      uint64_t hi)
{
	bool ok = got >= lo && got <= hi;

	conf_count_check_values(ctx, what, ok, got, 0, CONF_EV_GOT);
	if (!ok)
		conf_fail(ctx, "%s: got 0x%llx, want 0x%llx..0x%llx", what,
			  (unsigned long long)got, (unsigned long long)lo, (unsigned long long)hi);
	return ok;
}
