/* SPDX-License-Identifier: MIT */
/* Child processes: captured output, exit status, and the deadline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"

static void captures_both_streams_and_the_status(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "echo to-out; echo to-err >&2; exit 3", NULL };
	struct vx_proc_result r;

	(void)state;
	assert_int_equal(vx_proc_run(argv, 60.0, &r), 0);
	assert_false(r.timed_out);
	assert_false(r.signalled);
	assert_int_equal(r.exit_code, 3);
	assert_string_equal(r.out, "to-out\n");
	assert_int_equal(r.out_len, 7);
	assert_string_equal(r.err, "to-err\n");
	vx_proc_result_free(&r);
}

static void stdin_is_empty(void **state)
{
	/* QEMU with -serial stdio must never wait on the terminal. */
	char *argv[] = { "/bin/sh", "-c", "cat; echo end", NULL };
	struct vx_proc_result r;

	(void)state;
	assert_int_equal(vx_proc_run(argv, 60.0, &r), 0);
	assert_false(r.timed_out);
	assert_string_equal(r.out, "end\n");
	vx_proc_result_free(&r);
}

static void a_child_that_never_ends_is_killed_with_its_group(void **state)
{
	/* The grandchild holds the pipes open: only a group kill ends the run. */
	char *argv[] = { "/bin/sh", "-c", "echo started; sleep 1000 & wait", NULL };
	struct vx_proc_result r;

	(void)state;
	assert_int_equal(vx_proc_run(argv, 0.3, &r), 0);
	assert_true(r.timed_out);
	assert_string_equal(r.out, "started\n");
	vx_proc_result_free(&r);
}

static void a_runaway_output_is_cut_and_ends_the_child(void **state)
{
	/* Gigabytes on the serial port must not become gigabytes of vxemu. */
	char *argv[] = { "/bin/sh", "-c", "while :; do echo yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy; done",
			 NULL };
	struct vx_proc_result r;

	(void)state;
	assert_int_equal(vx_proc_run(argv, 600.0, &r), 0);
	assert_true(r.overflowed);
	assert_false(r.timed_out);
	assert_int_equal(r.out_len, VX_PROC_CAPTURE_MAX);
	assert_int_equal(r.out[r.out_len], '\0');
	vx_proc_result_free(&r);
}

static void a_child_that_closes_its_output_still_has_a_deadline(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "exec >&- 2>&-; sleep 1000", NULL };
	struct vx_proc_result r;

	(void)state;
	assert_int_equal(vx_proc_run(argv, 0.3, &r), 0);
	assert_true(r.timed_out);
	assert_true(r.seconds < 0.3 + VX_PROC_GRACE_S + 5.0);
	vx_proc_result_free(&r);
}

static void a_missing_program_is_not_run(void **state)
{
	char *argv[] = { "/nonexistent/program", NULL };
	struct vx_proc_result r;

	(void)state;
	errno = 0;
	assert_int_equal(vx_proc_run(argv, 60.0, &r), -1);
	assert_int_equal(errno, ENOENT);
}

static void path_lookup(void **state)
{
	char buf[4096];

	(void)state;
	assert_true(vx_find_in_path("sh", buf, sizeof(buf)));
	assert_non_null(strstr(buf, "/sh"));
	assert_false(vx_find_in_path("no-such-program-anywhere", buf, sizeof(buf)));
}

int main(void)
{
	/* A test whose child is never ended would otherwise wait for ever. */
	alarm(120);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(captures_both_streams_and_the_status),
		cmocka_unit_test(stdin_is_empty),
		cmocka_unit_test(a_child_that_never_ends_is_killed_with_its_group),
		cmocka_unit_test(a_runaway_output_is_cut_and_ends_the_child),
		cmocka_unit_test(a_child_that_closes_its_output_still_has_a_deadline),
		cmocka_unit_test(a_missing_program_is_not_run),
		cmocka_unit_test(path_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
