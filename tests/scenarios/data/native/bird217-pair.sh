# shellcheck shell=bash
# The two routers of tests/scenarios/native/bird_pair.sh (R2, tcpao) and
# bird_pair-peer.sh (R1, the native-TCP-AO guest): their addresses and the
# BIRD configuration of each step of the key rollover.  Sourced by both.
#
# Keys, as R2 sees them (R1 swaps send and receive IDs).  The old ones are
# those of native/bird.sh; the rollover moves each session to the new one
# of its family.  Test secrets only (bird217-pair.batch has the same, for
# the capture verifier).
#	FAMILY AGE SEND RECV ALGORITHM SECRET
PAIR_KEYS='v4 old 2 1 hmac sha1|tcpao bird 2.17 v4
v4 new 6 5 hmac sha1|tcpao bird pair v4 new
v6 old 4 3 cmac aes128|tcpao bird 2.17 v6!!
v6 new 8 7 cmac aes128|tcpao bird pair v6 new!'

# The rollover, the BIRD way (BIRD 2.17's documentation of "keys"): step 1
# the old key alone; 2 the new key added; 3 "preferred" moved to it (each
# BIRD asks its peer for it as RNext key, and each kernel then signs with
# it); 4 the old key removed.  "AGE:preferred" or "AGE" per key.
pair_step_keys() {
	case $1 in
	1) echo "old:preferred" ;;
	2) echo "old:preferred new" ;;
	3) echo "old new:preferred" ;;
	4) echo "new:preferred" ;;
	esac
}

# pair_keys SIDE FAMILY STEP: the key blocks (SIDE R2 or R1).
pair_keys() {
	local side=$1 fam=$2 k age pref f a s r alg sec
	for k in $(pair_step_keys "$3"); do
		age=${k%%:*}
		pref=
		[ "$k" = "$age" ] || pref=" preferred;"
		while IFS='|' read -r f sec; do
			read -r f a s r alg <<<"$f"
			[ "$f" = "$fam" ] && [ "$a" = "$age" ] || continue
			[ "$side" = R2 ] || { local t=$s; s=$r; r=$t; }
			printf '\t\tkey { send id %s; recv id %s; secret "%s"; algorithm %s;%s };\n' \
				"$s" "$r" "$sec" "$alg" "$pref"
		done <<<"$PAIR_KEYS"
	done
}

# pair_conf SIDE STEP LOG: BIRD's configuration.
pair_conf() {
	local side=$1 step=$2 log=$3 conf
	conf=$(<"$TCPAO_SRC/tests/scenarios/data/native/bird217-pair.conf")
	if [ "$side" = R2 ]; then
		set -- 192.168.0.12 65501 65500 192.0.2.2 192.0.2.1 2001:db8::2 2001:db8::1 \
			203.0.113.0/24 2001:db8:200::/48 r1
	else
		set -- 192.168.0.11 65500 65501 192.0.2.1 192.0.2.2 2001:db8::1 2001:db8::2 \
			198.51.100.0/24 2001:db8:100::/48 r2
	fi
	conf=${conf//@LOG@/$log}
	conf=${conf//@ROUTERID@/$1}
	conf=${conf//@AS@/$2}
	conf=${conf//@PEERAS@/$3}
	conf=${conf//@SELF4@/$4}
	conf=${conf//@PEER4@/$5}
	conf=${conf//@SELF6@/$6}
	conf=${conf//@PEER6@/$7}
	conf=${conf//@NET4@/$8}
	conf=${conf//@NET6@/$9}
	conf=${conf//@PEER@/${10}}
	conf=${conf//@KEYS4@/$(pair_keys "$side" v4 "$step")}
	conf=${conf//@KEYS6@/$(pair_keys "$side" v6 "$step")}
	printf '%s\n' "$conf"
}
