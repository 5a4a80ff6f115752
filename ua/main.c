/*
 * main.c - pnphone: options, configuration, the event loop, stdin and
 * signals.
 *
 * Everything runs on one su_root: nua's sockets and timers, the commands
 * read from stdin, and SIGINT/SIGTERM, which arrive through a signalfd so
 * that the handler is an ordinary loop callback and not async-signal code.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#define SU_TIMER_ARG_T void
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include "common/i18n.h"
#include "common/root.h"
#include "conf/conf.h"
#include "provisioning/prov.h"
#include "push/agent.h"
#include "ua/cli.h"
#include "ua/event.h"
#include "ua/status.h"
#include "ua/ua.h"

#define LINE_MAX_LEN 4096

typedef struct app {
	su_root_t *root;
	ua_t *ua;
	ua_event_t *ev;
	prov_t *prov;
	push_agent_t *push;       /* lives as long as the UA */
	conf_t *conf;             /* effective configuration the UA runs on */
	conf_t *next;             /* a provisioned one waiting to be applied */
	su_timer_t *restart_timer;
	bool restarting;          /* the UA quits to come back on app->next */
	bool exiting;
	bool failed;
	bool starting;            /* inside ua_create(), which steps the loop */
	su_wait_t stdin_wait[1];
	int stdin_reg;            /* su_root registration index, 0 = none */
	su_wait_t sig_wait[1];
	int sig_reg;
	int sig_fd;
	char line[LINE_MAX_LEN];
	size_t len;
	bool overlong;            /* discarding the rest of a long line */
	bool stdin_file;          /* stdin is a file, read without polling */
	su_timer_t *stdin_timer;
} app_t;

static void usage(FILE *out)
{
	fprintf(out, _(
"Usage: pnphone [OPTION]...\n"
"A SIP phone for Linux desktops and embedded IP phones.\n"
"Commands are read on standard input, one a line (type help).\n"
"\n"
"  -c, --config FILE   read the configuration from FILE\n"
"                      (default: %s/pnphone.conf if it exists)\n"
"  -j, --json          print events as JSON, one object a line\n"
"      --explain CODE  explain a SIP status code (or 'all') and exit\n"
"      --check-config  read the configuration, report errors, and exit\n"
"      --show-config   print every key's effective value and its source\n"
"      --keys          list every configuration key and exit\n"
"  -h, --help          show this help and exit\n"
"  -V, --version       show the version and exit\n"
"\n"
"Exit status: 0 on a normal exit, 1 when the phone cannot start,\n"
"2 for a bad command line or configuration.\n"), SYSCONFDIR);
}

static void print_entry(const ua_status_t *st)
{
	char buf[1024];

	ua_status_format(buf, sizeof(buf), st->code, NULL);
	printf("%s\n", buf);
	printf("    %s: %s\n", _("pnphone"), _(st->action));
}

static int explain(const char *arg)
{
	char *end;
	long code;
	const ua_status_t *st;
	size_t i;

	if (strcmp(arg, "all") == 0) {
		for (i = 0; i < ua_status_count(); i++)
			print_entry(ua_status_at(i));
		return 0;
	}
	errno = 0;
	code = strtol(arg, &end, 10);
	if (errno || *end || end == arg || code < 100 || code > 699) {
		fprintf(stderr, _("pnphone: --explain: '%s' is not a SIP "
				  "status code (100-699) or 'all'\n"), arg);
		return 2;
	}
	st = ua_status_lookup((int)code);
	if (!ua_status_find((int)code))
		printf(_("%ld is not in the catalogue; its class says:\n"),
		       code);
	print_entry(st);
	return 0;
}

static const char *const type_names[] = {
	"text", "on/off", "number", "word", "list", "URI", "URIs", "listen",
};

/* The key table as README's configuration section prints it. */
static int list_keys(void)
{
	size_t i;

	for (i = 0; i < conf_key_count(); i++) {
		const conf_key_t *k = conf_key_at(i);

		printf("%-26s %-7s %-24s %s", k->name, type_names[k->type],
		       *k->def ? k->def : "(empty)", _(k->help));
		if (k->type == CONF_UINT)
			printf(" [%u..%u]", k->min, k->max);
		else if (k->words)
			printf(" [%s]", k->words);
		putchar('\n');
	}
	return 0;
}

/* ---- stdin --------------------------------------------------------- */

/* quit, or SIGINT/SIGTERM: the UA un-REGISTERs and ends its calls, then
 * breaks the loop. */
static void app_quit(app_t *app)
{
	app->exiting = true;
	if (app->ua)
		ua_quit(app->ua);
	else if (!app->starting)
		su_root_break(app->root);
	/* else ua_create() is stepping the loop (sofia's nua_create() does),
	 * maybe inside su_root_run() (PnP boot), maybe before it: a break
	 * would end the phone without the UA's goodbye, or be lost.
	 * start_ua() quits the UA it made. */
}

static void run_line(app_t *app, const char *line)
{
	ua_cli_cmd_t cmd;
	char err[256];

	if (ua_cli_parse(line, &cmd, err, sizeof(err)) < 0) {
		char text[300];

		snprintf(text, sizeof(text), _("error: %s"), err);
		ua_event_emit(app->ev, "error", text, "{s:s}", "message", err);
		return;
	}
	if (cmd.kind == UA_CLI_EMPTY)
		return;
	if (cmd.kind == UA_CLI_QUIT) {
		app_quit(app);
		return;
	}
	if (cmd.kind == UA_CLI_HELP) {
		/* Needs no phone: often a new user's first word, typed while
		 * the phone starts or provisions itself. */
		ua_event_emit(app->ev, "help", ua_cli_help(), "{s:s}", "text",
			      ua_cli_help());
		return;
	}
	if (!app->ua && app->starting) {
		/* read while ua_create() steps the loop */
		ua_event_emit(app->ev, "error",
			_("error: the phone is starting"), "{s:s}",
			"message", _("the phone is starting"));
		return;
	}
	if (!app->ua) {
		/* Start-up provisioning (PnP, first download) is running. */
		ua_event_emit(app->ev, "error",
			_("error: provisioning is in progress"), "{s:s}",
			"message", _("provisioning is in progress"));
		return;
	}
	if (cmd.kind == UA_CLI_PROVISION) {
		prov_run_now(app->prov);
		return;
	}
	ua_command(app->ua, &cmd);
}

static void stdin_close(app_t *app)
{
	/* End of input does not end the phone: it may run as a service. */
	if (app->stdin_reg > 0) {
		su_root_deregister(app->root, app->stdin_reg);
		app->stdin_reg = 0;
	}
}

static int on_stdin(void *magic, su_wait_t *w, void *arg)
{
	app_t *app = arg;
	char buf[4096];
	ssize_t n, i;

	(void)magic;
	(void)w;
	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		stdin_close(app);
		app->stdin_file = false;
		return 0;
	}
	for (i = 0; i < n; i++) {
		char ch = buf[i];

		if (ch != '\n') {
			if (app->len + 1 < sizeof(app->line))
				app->line[app->len++] = ch;
			else
				app->overlong = true;
			continue;
		}
		app->line[app->len] = '\0';
		if (app->overlong)
			ua_event_emit(app->ev, "error",
				_("error: command line too long"), "{s:s}",
				"message", _("command line too long"));
		else
			run_line(app, app->line);
		app->len = 0;
		app->overlong = false;
	}
	return 0;
}

/* ---- signals ------------------------------------------------------- */

static int on_signal(void *magic, su_wait_t *w, void *arg)
{
	app_t *app = arg;
	struct signalfd_siginfo si;

	(void)magic;
	(void)w;
	if (read(app->sig_fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return 0;
	app_quit(app);
	return 0;
}

static int watch_signals(app_t *app)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	app->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (app->sig_fd < 0)
		return -1;
	if (su_wait_create(app->sig_wait, app->sig_fd, SU_WAIT_IN) < 0)
		return -1;
	app->sig_reg = su_root_register(app->root, app->sig_wait, on_signal,
					app, 0);
	return app->sig_reg > 0 ? 0 : -1;
}

/* A regular file (or /dev/null) as stdin cannot be polled: epoll
 * refuses it.  It never blocks either, so it is read to its end once the
 * phone has started, command after command. */
static void read_stdin_file(su_root_magic_t *magic, su_timer_t *t,
			    su_timer_arg_t *arg)
{
	app_t *app = arg;

	(void)magic;
	(void)t;
	while (on_stdin(NULL, NULL, app) == 0 && app->stdin_file)
		;
}

static int watch_stdin(app_t *app)
{
	if (su_wait_create(app->stdin_wait, STDIN_FILENO, SU_WAIT_IN) < 0)
		return 0;   /* stdin closed: no commands, still a phone */
	app->stdin_reg = su_root_register(app->root, app->stdin_wait,
					  on_stdin, app, 0);
	if (app->stdin_reg > 0)
		return 0;
	su_wait_destroy(app->stdin_wait);
	if (errno != EPERM)
		return 0;
	app->stdin_file = true;
	app->stdin_timer = su_timer_create(su_root_task(app->root), 0);
	if (!app->stdin_timer ||
	    su_timer_set_interval(app->stdin_timer, read_stdin_file, app,
				  1) < 0)
		return -1;
	return 0;
}

/* ---- main ---------------------------------------------------------- */

static int load_config(conf_t *conf, const char *path)
{
	char err[1024];
	char def[512];

	if (!path) {
		snprintf(def, sizeof(def), "%s/pnphone.conf", SYSCONFDIR);
		if (access(def, R_OK) != 0)
			return 0;   /* no file: defaults */
		path = def;
	}
	if (conf_load_file(conf, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "pnphone: %s\n", err);
		return -1;
	}
	return 0;
}

/* ---- the UA and provisioning ------------------------------------------ */

static bool push_registered(void *arg)
{
	return ua_registered(arg);
}

static void push_media_suspend(void *arg, bool on)
{
	ua_media_suspend(arg, on);
}

/* The Push Agent reads the UA's state, so it comes and goes with the UA.
 * A push port that is taken leaves the phone running without push. */
static void start_push(app_t *app)
{
	push_phone_t phone = { ua_phone_state(app->ua), app->ev,
			       push_registered, push_media_suspend,
			       app->ua };
	char err[512], text[600];

	app->push = push_agent_create(app->root, app->conf, &phone, err,
				      sizeof(err));
	if (app->push || !*err)
		return;
	snprintf(text, sizeof(text), _("push agent off: %s"), err);
	ua_event_emit(app->ev, "push_error", text, "{s:s}", "message", err);
}

static int start_ua(app_t *app)
{
	char err[512];

	if (app->next) {
		conf_free(app->conf);
		app->conf = app->next;
		app->next = NULL;
	}
	app->starting = true;
	app->ua = ua_create(app->root, app->conf, app->ev, err, sizeof(err));
	app->starting = false;
	if (!app->ua) {
		fprintf(stderr, "pnphone: %s\n", err);
		app->failed = true;
		su_root_break(app->root);
		return -1;
	}
	if (app->exiting) {
		/* quit asked while ua_create() ran (app_quit): no REGISTER,
		 * no Push Agent, just the stack's shutdown, which breaks the
		 * loop when done */
		ua_quit(app->ua);
		return 0;
	}
	start_push(app);
	ua_start(app->ua);
	return 0;
}

/* A provisioned configuration replaces the running one by restarting the
 * UA on it (un-REGISTER, then REGISTER with the new account), once no
 * call is up. */
static void restart_when_idle(su_root_magic_t *magic, su_timer_t *t,
			      void *arg)
{
	app_t *app = arg;

	(void)magic;
	(void)t;
	if (!app->ua || !app->next || app->exiting || app->restarting)
		return;
	if (ua_state_busy(ua_phone_state(app->ua))) {
		su_timer_set_interval(app->restart_timer, restart_when_idle,
				      app, 1000);
		return;
	}
	app->restarting = true;
	ua_quit(app->ua);
}

static void on_provisioned(void *arg, conf_t *conf, bool boot)
{
	app_t *app = arg;

	(void)boot;
	if (conf) {
		conf_free(app->next);
		app->next = conf;
	}
	if (app->exiting)
		return;
	if (!app->ua)
		start_ua(app);
	else if (app->next)
		restart_when_idle(NULL, NULL, app);
}

static int run(conf_t *conf, bool json)
{
	app_t app;
	int status = 1;

	memset(&app, 0, sizeof(app));
	app.sig_fd = -1;
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	signal(SIGPIPE, SIG_IGN);
	if (su_init() != 0) {
		fprintf(stderr, "pnphone: su_init failed\n");
		return 1;
	}
	app.root = pn_root_create(NULL);
	app.ev = ua_event_new(stdout, json);
	if (app.root)
		app.restart_timer = su_timer_create(su_root_task(app.root), 0);
	if (app.root)
		app.prov = prov_create(app.root, conf, app.ev, on_provisioned,
				       &app);
	if (app.prov)
		app.conf = prov_initial(app.prov);
	if (!app.root || !app.ev || !app.restart_timer || !app.conf) {
		fprintf(stderr, "pnphone: %s\n", strerror(ENOMEM));
		goto out;
	}
	/* a UI that stops reading must not stop the phone */
	if (ua_event_attach(app.ev, app.root) < 0)
		fprintf(stderr, "pnphone: stdout stays blocking: %s\n",
			strerror(errno));
	if (watch_signals(&app) < 0 || watch_stdin(&app) < 0) {
		fprintf(stderr, "pnphone: cannot watch stdin or signals: %s\n",
			strerror(errno));
		goto out;
	}
	/* Provisioning first (PnP: 5 s at most); the UA starts when it is
	 * done, or now when there is nothing to wait for. */
	if (!prov_boot(app.prov) && !app.ua && start_ua(&app) < 0)
		goto out;
	for (;;) {
		su_root_run(app.root);
		if (!app.restarting || app.exiting || app.failed)
			break;
		app.restarting = false;
		push_agent_destroy(app.push);
		app.push = NULL;
		ua_destroy(app.ua);
		app.ua = NULL;
		if (start_ua(&app) < 0)
			break;
	}
	status = app.failed ? 1 : 0;
out:
	if (app.stdin_reg > 0)
		su_root_deregister(app.root, app.stdin_reg);
	if (app.sig_reg > 0)
		su_root_deregister(app.root, app.sig_reg);
	if (app.sig_fd >= 0)
		close(app.sig_fd);
	su_timer_destroy(app.stdin_timer);
	su_timer_destroy(app.restart_timer);
	prov_destroy(app.prov);
	push_agent_destroy(app.push);
	ua_destroy(app.ua);
	conf_free(app.conf);
	conf_free(app.next);
	ua_event_detach(app.ev);
	if (app.root)
		su_root_destroy(app.root);
	ua_event_free(app.ev);
	su_deinit();
	return status;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "explain", required_argument, NULL, 'e' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "show-config", no_argument, NULL, 'S' },
		{ "keys", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *explain_arg = NULL;
	bool json = false, check_only = false, show = false;
	conf_t *conf;
	int opt, status;

	pn_i18n_init(NULL);
	while ((opt = getopt_long(argc, argv, "c:jhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'e':
			/* After the configuration: it may set ui.language. */
			explain_arg = optarg;
			break;
		case 'k':
			check_only = true;
			break;
		case 'S':
			show = true;
			break;
		case 'K':
			return list_keys();
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("pnphone %s\n", VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, _("pnphone: unexpected argument '%s'\n"),
			argv[optind]);
		usage(stderr);
		return 2;
	}
	conf = conf_new();
	if (!conf) {
		fprintf(stderr, "pnphone: %s\n", strerror(ENOMEM));
		return 1;
	}
	if (load_config(conf, config) < 0) {
		conf_free(conf);
		return 2;
	}
	if (conf_str(conf, "ui.language")[0] != '\0')
		pn_i18n_init(conf_str(conf, "ui.language"));
	status = explain_arg ? explain(explain_arg)
		 : show ? prov_show_config(stdout, conf)
		 : check_only ? 0 : run(conf, json);
	conf_free(conf);
	return status;
}
