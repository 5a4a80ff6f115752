# etc/: the default configuration.
dist_sysconf_DATA += etc/pnphone.conf
