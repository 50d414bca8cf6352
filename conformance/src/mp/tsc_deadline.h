/* SPDX-License-Identifier: MIT */
/*
 * The tsc_guest payload (conformance/src/guest/tsc_deadline.S), shared by
 * the TSC-deadline timer scenarios and their bench.
 */
#ifndef CONF_SRC_MP_TSC_DEADLINE_H
#define CONF_SRC_MP_TSC_DEADLINE_H

#include "../svm/svm_util.h"

/* The payload's timer vector: its LVT timer entries and timer_handler's gate. */
#define TIMER_VECTOR 0x51u

CONF_PAYLOAD_DECLARE(tsc_guest);
CONF_PAYLOAD_LABEL(tsc_guest, probe);
CONF_PAYLOAD_LABEL(tsc_guest, spin);
CONF_PAYLOAD_LABEL(tsc_guest, halt);
CONF_PAYLOAD_LABEL(tsc_guest, rules);
CONF_PAYLOAD_LABEL(tsc_guest, timer_handler);
CONF_PAYLOAD_LABEL(tsc_guest, gp_handler);
CONF_PAYLOAD_LABEL(tsc_guest, ap64);
CONF_PAYLOAD_LABEL(tsc_guest, sipi_vector);
CONF_PAYLOAD_LABEL(tsc_guest, deadline);
CONF_PAYLOAD_LABEL(tsc_guest, irq_tsc);
CONF_PAYLOAD_LABEL(tsc_guest, reads);
CONF_PAYLOAD_LABEL(tsc_guest, cpuid_ecx);
CONF_PAYLOAD_LABEL(tsc_guest, irq_count);
CONF_PAYLOAD_LABEL(tsc_guest, count_masked);
CONF_PAYLOAD_LABEL(tsc_guest, woke);
CONF_PAYLOAD_LABEL(tsc_guest, gp_count);
CONF_PAYLOAD_LABEL(tsc_guest, bench);
CONF_PAYLOAD_LABEL(tsc_guest, bench_n);

#endif
