# leapp shell integration for fish (3.4 or later).
# Install: add to ~/.config/fish/config.fish
#   leapp hook fish | source
# Prompt: call leapp_prompt_info from fish_prompt or fish_right_prompt.
#
# On a plain prompt this hook runs fish builtins only and starts no process. It runs
# leapp when the directory tree's .leapp-session changes, or when the active credentials
# enter their refresh window. fish has no builtin clock, so deadlines are kept in
# seconds of /proc/uptime, read with the read builtin.

if not set -q __leapp_hooked
    set -g __leapp_hooked 1
    set -g __leapp_pwd ''
    set -g __leapp_marker ''
    set -g __leapp_marker_content ''
    set -g __leapp_due_up 0
    set -g __leapp_exp_up 0
    set -g __leapp_saved ''
end
set -q __leapp_vars; or set -g __leapp_vars

function __leapp_uptime
    read -l up rest </proc/uptime
    string split -f1 . -- $up
end

function __leapp_on_prompt --on-event fish_prompt
    if test "$PWD" != "$__leapp_pwd"
        __leapp_chdir
    else if test -n "$__leapp_marker"; and not __leapp_marker_unchanged
        # Edited (or removed): look again, as on entry; changed content needs a new `leapp allow`.
        set -g __leapp_marker ''
        __leapp_chdir
    else if test "$__leapp_due_up" -gt 0
        if test (__leapp_uptime) -ge $__leapp_due_up
            __leapp_refresh
        end
    end
end

function __leapp_on_pwd --on-variable PWD
    __leapp_chdir
end

# The marker's content, read by the read builtin into __leapp_text (no process).
function __leapp_marker_text
    set -g __leapp_text ''
    test -r "$argv[1]"; and read -g -z __leapp_text <$argv[1]
    return 0
end

function __leapp_marker_unchanged
    __leapp_marker_text $__leapp_marker
    test "$__leapp_text" = "$__leapp_marker_content"
end

function __leapp_chdir
    set -g __leapp_pwd $PWD
    set -l d $PWD
    set -l m ''
    while true
        if test -f "$d/.leapp-session"
            set m "$d/.leapp-session"
            break
        end
        test -z "$d"; and break
        # The parent, without a command substitution (which would split a name holding a newline).
        string match -rq -- '(?s)^(?<__leapp_parent>.*)/[^/]*$' $d; or break
        set d $__leapp_parent
    end
    test "$m" = "$__leapp_marker"; and return 0
    set -g __leapp_marker $m
    __leapp_marker_text $m
    set -g __leapp_marker_content $__leapp_text
    if test -z "$m"
        __leapp_deactivate
        return 0
    end
    # The output starts by saving what it replaces (__leapp_save, with leapp's list of variables).
    set -l out (command $__leapp_bin hook-env --shell fish --marker $m | string collect)
    if test -n "$out"
        eval $out
    else
        __leapp_deactivate
    end
end

function __leapp_refresh
    set -l out ''
    if test -n "$__leapp_marker"
        set out (command $__leapp_bin hook-env --shell fish --marker $__leapp_marker --refresh | string collect)
    else if set -q LEAPP_SESSION
        set out (command $__leapp_bin hook-env --shell fish --session $LEAPP_SESSION | string collect)
    end
    if test -n "$out"
        eval $out
    else
        set -g __leapp_due_up 0
    end
end

# Saves each variable named (leapp's list) that is set, and whether it was exported (a
# plain shell variable must not come back exported).
function __leapp_save
    set -g __leapp_vars $argv
    set -g __leapp_saved ' '
    set -g __leapp_exported ' '
    for v in $__leapp_vars
        if set -q $v
            set -g __leapp_saved "$__leapp_saved$v "
            set -q -x $v; and set -g __leapp_exported "$__leapp_exported$v "
            set -g __leapp_old_$v $$v
        end
    end
end

function __leapp_deactivate
    set -g __leapp_due_up 0
    test -n "$__leapp_saved"; or return 0
    for v in $__leapp_vars
        if string match -q -- "* $v *" $__leapp_saved
            set -l o __leapp_old_$v
            if string match -q -- "* $v *" $__leapp_exported
                set -gx $v $$o
            else
                set -gu $v $$o
            end
            set -e -g $o
        else
            set -e -g $v
        end
    end
    set -g __leapp_saved ''
    test "$argv[1]" = quiet; or echo 'leapp: left the session directory; environment restored' >&2
end

# Time left as leapp itself says it ("45s", "59m", "1h", "1h5m"), with the math builtin.
function __leapp_left
    set -l s $argv[1]
    if test $s -lt 60
        echo {$s}s
    else if test $s -lt 3600
        echo (math "floor($s / 60)")m
    else
        set -l m (math "floor($s % 3600 / 60)")
        test $m -gt 0; and echo (math "floor($s / 3600)")h{$m}m; or echo (math "floor($s / 3600)")h
    end
end

# Prints "alias region 42m" (nothing when no session is active), control characters removed.
function leapp_prompt_info
    set -q LEAPP_SESSION; or return 0
    set -l left expired
    if test "$__leapp_exp_up" -gt 0
        set -l now (__leapp_uptime)
        if test $__leapp_exp_up -gt $now
            set left (__leapp_left (math "$__leapp_exp_up - $now"))
        end
    end
    set -l s (string replace -ra '[[:cntrl:]]' '' -- $LEAPP_SESSION)
    set -l r (string replace -ra '[[:cntrl:]]' '' -- "$AWS_REGION")
    printf '%s %s %s' "$s" "$r" $left
end

set -q LEAPP_BIN; and set -g __leapp_bin $LEAPP_BIN; or set -g __leapp_bin leapp

# `leapp allow`, `deny` and `session start|stop` take effect at the next prompt: the hook
# forgets the directory it looked at, so that prompt looks again (no process on other prompts).
function leapp --wraps leapp
    command $__leapp_bin $argv
    set -l rc $status
    if test "$argv[1]" = session; and test "$argv[2]" = stop
        set -l name
        for a in $argv[3..-1]
            if not string match -q -- '-*' $a
                set name $a
                break
            end
        end
        test -n "$name"; or set name "$LEAPP_SESSION"
        if test $rc -eq 0; and test -n "$__leapp_marker"; and set -q LEAPP_SESSION; and test "$name" = "$LEAPP_SESSION"
            __leapp_deactivate quiet
            printf 'leapp: %s stays stopped in this shell until `leapp session start` or you enter its directory again\n' \
                (string replace -ra '[[:cntrl:]]' '' -- $name) >&2
        else
            set -g __leapp_pwd ''
            set -g __leapp_marker ''
        end
    else if contains -- "$argv[1]" allow deny; or begin; test "$argv[1]" = session; and test "$argv[2]" = start; end
        set -g __leapp_pwd ''
        set -g __leapp_marker ''
    end
    return $rc
end
