/* SPDX-License-Identifier: MIT */
/*
 * What the manuals let an encoding of the sweep end in. Each rule is
 * worked out from the encoding's bytes alone, never from the model.
 */
#ifndef TESTS_EMU_SWEEP_EXPECT_H
#define TESTS_EMU_SWEEP_EXPECT_H

#include <stddef.h>
#include <stdint.h>

#include "sweep.h"

enum sweep_rule {
	RULE_EXIT_CODE,  /* the #VMEXIT names an exit code the APM defines */
	RULE_RIP,        /* a fault or an intercept leaves RIP at the instruction */
	RULE_FAR_REG,    /* FF /3 and FF /5 with a register operand: #UD */
	RULE_LOCK,       /* LOCK on anything but a locked memory write: #UD */
	RULE_INTN,       /* INT imm8 under the INTn intercept: #VMEXIT(SWINT) */
	SWEEP_RULES,
};

const char *sweep_rule_name(enum sweep_rule rule);

/*
 * The first rule that r, the end of the encoding in bytes run in mode m,
 * breaks, with a description in why; SWEEP_RULES when it breaks none. A
 * model error is judged by no rule: it is an allowed end of any encoding.
 */
enum sweep_rule sweep_expect(enum sweep_mode m, const uint8_t bytes[SWEEP_WINDOW],
			     const struct sweep_result *r, char *why, size_t len);

#endif
