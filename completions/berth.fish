# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_berth_global_optspecs
    string join \n a/address= n/namespace= snapshotter= insecure-registry= hosts-dir= cni-path= cni-netconfpath= data-root= cgroup-manager= D/debug H/host= config= l/log-level= c/context= tls tlsverify tlscacert= tlscert= tlskey= v/version h/help
end

function __fish_berth_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_berth_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_berth_using_subcommand
    set -l cmd (__fish_berth_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c berth -n "__fish_berth_needs_command" -s a -l address -d 'containerd socket' -r -F
complete -c berth -n "__fish_berth_needs_command" -s n -l namespace -d 'containerd namespace' -r
complete -c berth -n "__fish_berth_needs_command" -l snapshotter -d 'containerd snapshotter' -r
complete -c berth -n "__fish_berth_needs_command" -l insecure-registry -d 'Registry (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_needs_command" -l hosts-dir -d 'Directory of containerd-style registry host configuration (<host>/hosts.toml)' -r -F
complete -c berth -n "__fish_berth_needs_command" -l cni-path -d 'Directories of CNI plugins, colon-separated (default: /opt/cni/bin:/usr/lib/cni)' -r
complete -c berth -n "__fish_berth_needs_command" -l cni-netconfpath -d 'Directory of berth\'s CNI network configuration lists' -r -F
complete -c berth -n "__fish_berth_needs_command" -l data-root -d 'berth\'s own state directory' -r -F
complete -c berth -n "__fish_berth_needs_command" -l cgroup-manager -d 'Who makes containers\' cgroups: cgroupfs or systemd (default: systemd when the host runs systemd on cgroup v2)' -r -f -a "cgroupfs\t''
systemd\t''"
complete -c berth -n "__fish_berth_needs_command" -s H -l host -d 'Daemon socket to connect to: unix://PATH, containerd\'s (as --address)' -r
complete -c berth -n "__fish_berth_needs_command" -l config -d 'Location of client config files (docker\'s: credentials)' -r -F
complete -c berth -n "__fish_berth_needs_command" -s l -l log-level -d 'Set the logging level' -r -f -a "debug\t''
info\t''
warn\t''
error\t''
fatal\t''"
complete -c berth -n "__fish_berth_needs_command" -s c -l context -d 'Name of the context to use (only "default": the containerd at --address)' -r
complete -c berth -n "__fish_berth_needs_command" -l tlscacert -d 'not supported yet' -r
complete -c berth -n "__fish_berth_needs_command" -l tlscert -d 'not supported yet' -r
complete -c berth -n "__fish_berth_needs_command" -l tlskey -d 'not supported yet' -r
complete -c berth -n "__fish_berth_needs_command" -s D -l debug -d 'Log debug details to stderr'
complete -c berth -n "__fish_berth_needs_command" -l tls -d 'not supported yet'
complete -c berth -n "__fish_berth_needs_command" -l tlsverify -d 'not supported yet'
complete -c berth -n "__fish_berth_needs_command" -s v -l version -d 'Print version information and quit'
complete -c berth -n "__fish_berth_needs_command" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_needs_command" -f -a "version" -d 'Show the berth and containerd versions'
complete -c berth -n "__fish_berth_needs_command" -f -a "info" -d 'Display system-wide information'
complete -c berth -n "__fish_berth_needs_command" -f -a "events" -d 'Get real time events from containerd (this namespace)'
complete -c berth -n "__fish_berth_needs_command" -f -a "system" -d 'Manage berth and containerd (docker\'s `system` commands)'
complete -c berth -n "__fish_berth_needs_command" -f -a "builder" -d 'Manage builds (BuildKit\'s cache)'
complete -c berth -n "__fish_berth_needs_command" -f -a "pull" -d 'Download an image from a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "build" -d 'Build an image from a Dockerfile with BuildKit'
complete -c berth -n "__fish_berth_needs_command" -f -a "push" -d 'Upload an image to a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_needs_command" -f -a "import" -d 'Import the contents from a tarball to create a filesystem image'
complete -c berth -n "__fish_berth_needs_command" -f -a "tag" -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n "__fish_berth_needs_command" -f -a "load" -d 'Load an image from a tar archive or stdin'
complete -c berth -n "__fish_berth_needs_command" -f -a "save" -d 'Save one or more images to a tar archive (streamed to stdout by default)'
complete -c berth -n "__fish_berth_needs_command" -f -a "login" -d 'Log in to a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "logout" -d 'Log out from a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "images" -d 'List images'
complete -c berth -n "__fish_berth_needs_command" -f -a "rmi" -d 'Remove one or more images'
complete -c berth -n "__fish_berth_needs_command" -f -a "run" -d 'Create and run a new container from an image'
complete -c berth -n "__fish_berth_needs_command" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "rm" -d 'Remove one or more containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "create" -d 'Create a new container'
complete -c berth -n "__fish_berth_needs_command" -f -a "start" -d 'Start one or more stopped containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "stop" -d 'Stop one or more running containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "restart" -d 'Restart one or more containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "kill" -d 'Kill one or more running containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "wait" -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n "__fish_berth_needs_command" -f -a "logs" -d 'Fetch the logs of a container'
complete -c berth -n "__fish_berth_needs_command" -f -a "exec" -d 'Execute a command in a running container'
complete -c berth -n "__fish_berth_needs_command" -f -a "inspect" -d 'Return low-level information on containers and images'
complete -c berth -n "__fish_berth_needs_command" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_needs_command" -f -a "update" -d 'Update configuration of one or more containers (the restart policy)'
complete -c berth -n "__fish_berth_needs_command" -f -a "pause" -d 'Pause all processes within one or more containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "unpause" -d 'Unpause all processes within one or more containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "stats" -d 'Display a live stream of container(s) resource usage statistics'
complete -c berth -n "__fish_berth_needs_command" -f -a "top" -d 'Display the running processes of a container'
complete -c berth -n "__fish_berth_needs_command" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c berth -n "__fish_berth_needs_command" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c berth -n "__fish_berth_needs_command" -f -a "diff" -d 'Inspect changes to files or directories on a container\'s filesystem'
complete -c berth -n "__fish_berth_needs_command" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c berth -n "__fish_berth_needs_command" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c berth -n "__fish_berth_needs_command" -f -a "attach" -d 'Attach to a running container (not supported yet)'
complete -c berth -n "__fish_berth_needs_command" -f -a "image" -d 'Manage images'
complete -c berth -n "__fish_berth_needs_command" -f -a "container" -d 'Manage containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "network" -d 'Manage networks'
complete -c berth -n "__fish_berth_needs_command" -f -a "volume" -d 'Manage volumes'
complete -c berth -n "__fish_berth_needs_command" -f -a "completion" -d 'Generate the shell completion script'
complete -c berth -n "__fish_berth_needs_command" -f -a "__remove-on-exit" -d '(internal) `run -d --rm`: removes the container once it exits'
complete -c berth -n "__fish_berth_needs_command" -f -a "__health-monitor"
complete -c berth -n "__fish_berth_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand version" -s f -l format -d 'Format the output using the given Go template' -r
complete -c berth -n "__fish_berth_using_subcommand version" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand info" -s f -l format -d 'Format the output using the given Go template' -r
complete -c berth -n "__fish_berth_using_subcommand info" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand events" -s f -l filter -d 'Filter output based on conditions provided' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l format -d 'Format output using a custom template: \'json\' or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l since -d 'Show all events created since timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l until -d 'Stream events until this timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand events" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from df prune info events help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from df prune info events help" -f -a "df" -d 'Show disk usage (images, containers, volumes, build cache)'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from df prune info events help" -f -a "prune" -d 'Remove unused data'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from df prune info events help" -f -a "info" -d 'Display system-wide information'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from df prune info events help" -f -a "events" -d 'Get real time events from containerd (this namespace)'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from df prune info events help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l buildkit-host -d 'BuildKit daemon whose build cache is counted' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -s v -l verbose -d 'Show detailed information on space usage'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. "label=<key>=<value>")' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l buildkit-host -d 'BuildKit daemon whose build cache is pruned' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused images not just dangling ones'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l volumes -d 'Prune anonymous volumes'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -s f -l format -d 'Format the output using the given Go template' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -s f -l filter -d 'Filter output based on conditions provided' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l format -d 'Format output using a custom template: \'json\' or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l since -d 'Show all events created since timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l until -d 'Stream events until this timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "df" -d 'Show disk usage (images, containers, volumes, build cache)'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove unused data'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "info" -d 'Display system-wide information'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "events" -d 'Get real time events from containerd (this namespace)'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -f -a "build" -d 'Build an image from a Dockerfile with BuildKit (same as `berth build`)'
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -f -a "prune" -d 'Remove build cache'
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s t -l tag -d 'Name and optionally a tag (name:tag); repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s f -l file -d 'Dockerfile (default: PATH/Dockerfile; - reads it from stdin)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l build-arg -d 'Build-time variable KEY=VALUE, or KEY to take it from the environment' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l target -d 'Build stage to stop at' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l platform -d 'Target platform(s), comma-separated or repeated' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l label -d 'Image label KEY=VALUE; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l network -d 'Network for RUN steps: default, host or none' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l add-host -d 'Host-to-IP mapping for RUN steps (host:ip); repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l shm-size -d 'Size of /dev/shm for RUN steps' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l ulimit -d 'Ulimit options for RUN steps (e.g. nofile=1024:2048)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l progress -d 'Progress output: auto, plain, tty or rawjson' -r -f -a "auto\t''
plain\t''
tty\t''
rawjson\t''
quiet\t''"
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l iidfile -d 'Write the image ID to this file' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s o -l output -d 'Output: type=local,dest=DIR | type=tar,dest=FILE | type=docker[,dest=FILE] | type=oci[,dest=FILE] | type=image,name=...[,push=true] | DIR | -' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l secret -d 'Secret for RUN --mount=type=secret: id=ID,src=PATH | id=ID,env=VAR; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l ssh -d 'SSH agent to forward: default or ID=SOCKET; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cache-from -d 'Cache source: type=registry,ref=... or a reference; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cache-to -d 'Cache destination: type=registry,ref=...[,mode=max] or inline; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l buildkit-host -d 'BuildKit daemon address (unix:///path or tcp://host:port)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cgroup-parent -d 'Parent cgroup of RUN steps' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l disable-content-trust -d 'Skip image verification (berth does not verify signatures; only true is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l build-context -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l allow -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l attest -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l sbom -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l provenance -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l metadata-file -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l compress -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l rm -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l force-rm -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l squash -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l isolation -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l security-opt -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s m -l memory -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l memory-swap -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s c -l cpu-shares -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cpu-period -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cpu-quota -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cpuset-cpus -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cpuset-mems -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l no-cache -d 'Do not use the build cache'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l pull -d 'Always look for newer versions of base images'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Print only the image ID'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l load -d 'Load the image into containerd (what berth does by default)'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l push -d 'Shorthand for --output type=image,push=true'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (`until=DURATION`)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l keep-storage -d 'Amount of disk space to keep for cache (BuildKit\'s reserved space)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l buildkit-host -d 'BuildKit daemon to prune' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused build cache, not just dangling ones'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build an image from a Dockerfile with BuildKit (same as `berth build`)'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove build cache'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand pull" -l platform -d 'Platform to pull, e.g. linux/arm64 (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l max-concurrent-downloads -d 'How many layers to download at once [default: 3; 1, largest first, where layers unpack in parallel]' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l disable-content-trust -d 'Skip image verification (berth does not verify signatures; only true is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand pull" -s q -l quiet -d 'Suppress verbose output; print only the image reference'
complete -c berth -n "__fish_berth_using_subcommand pull" -s a -l all-tags -d 'Download all tagged images in the repository'
complete -c berth -n "__fish_berth_using_subcommand pull" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand build" -s t -l tag -d 'Name and optionally a tag (name:tag); repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand build" -s f -l file -d 'Dockerfile (default: PATH/Dockerfile; - reads it from stdin)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l build-arg -d 'Build-time variable KEY=VALUE, or KEY to take it from the environment' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l target -d 'Build stage to stop at' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l platform -d 'Target platform(s), comma-separated or repeated' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l label -d 'Image label KEY=VALUE; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l network -d 'Network for RUN steps: default, host or none' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l add-host -d 'Host-to-IP mapping for RUN steps (host:ip); repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l shm-size -d 'Size of /dev/shm for RUN steps' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l ulimit -d 'Ulimit options for RUN steps (e.g. nofile=1024:2048)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l progress -d 'Progress output: auto, plain, tty or rawjson' -r -f -a "auto\t''
plain\t''
tty\t''
rawjson\t''
quiet\t''"
complete -c berth -n "__fish_berth_using_subcommand build" -l iidfile -d 'Write the image ID to this file' -r -F
complete -c berth -n "__fish_berth_using_subcommand build" -s o -l output -d 'Output: type=local,dest=DIR | type=tar,dest=FILE | type=docker[,dest=FILE] | type=oci[,dest=FILE] | type=image,name=...[,push=true] | DIR | -' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l secret -d 'Secret for RUN --mount=type=secret: id=ID,src=PATH | id=ID,env=VAR; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l ssh -d 'SSH agent to forward: default or ID=SOCKET; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cache-from -d 'Cache source: type=registry,ref=... or a reference; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cache-to -d 'Cache destination: type=registry,ref=...[,mode=max] or inline; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l buildkit-host -d 'BuildKit daemon address (unix:///path or tcp://host:port)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cgroup-parent -d 'Parent cgroup of RUN steps' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l disable-content-trust -d 'Skip image verification (berth does not verify signatures; only true is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand build" -l build-context -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l allow -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l attest -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l sbom -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l provenance -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l metadata-file -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l compress -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l rm -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l force-rm -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l squash -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l isolation -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l security-opt -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -s m -l memory -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l memory-swap -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -s c -l cpu-shares -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cpu-period -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cpu-quota -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cpuset-cpus -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cpuset-mems -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l no-cache -d 'Do not use the build cache'
complete -c berth -n "__fish_berth_using_subcommand build" -l pull -d 'Always look for newer versions of base images'
complete -c berth -n "__fish_berth_using_subcommand build" -s q -l quiet -d 'Print only the image ID'
complete -c berth -n "__fish_berth_using_subcommand build" -l load -d 'Load the image into containerd (what berth does by default)'
complete -c berth -n "__fish_berth_using_subcommand build" -l push -d 'Shorthand for --output type=image,push=true'
complete -c berth -n "__fish_berth_using_subcommand build" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand push" -l platform -d 'Push only this platform\'s manifest' -r
complete -c berth -n "__fish_berth_using_subcommand push" -l disable-content-trust -d 'Skip image signing (berth does not sign; only true is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand push" -l all-platforms -d 'Push every platform of a multi-platform image (berth\'s; docker\'s `-a` is `--all-tags`)'
complete -c berth -n "__fish_berth_using_subcommand push" -s a -l all-tags -d 'Push all tags of an image to the repository'
complete -c berth -n "__fish_berth_using_subcommand push" -s q -l quiet -d 'Suppress verbose output; print only the pushed reference'
complete -c berth -n "__fish_berth_using_subcommand push" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand history" -s H -l human -d 'Print sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand history" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand history" -l platform -d 'Platform whose image to show (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand history" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand history" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand history" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand import" -s c -l change -d 'Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR); repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand import" -s m -l message -d 'Commit message for the image\'s history' -r
complete -c berth -n "__fish_berth_using_subcommand import" -l platform -d 'Platform to record (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand import" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand tag" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand load" -s i -l input -d 'Read from this archive file instead of stdin' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -l platform -d 'Unpack this platform (which every image must have) instead of the host\'s' -r
complete -c berth -n "__fish_berth_using_subcommand load" -s q -l quiet -d 'Suppress the load output'
complete -c berth -n "__fish_berth_using_subcommand load" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand save" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -l platform -d 'Platform to save (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand save" -l format -d 'Archive format: docker (OCI layout with manifest.json) or oci' -r -f -a "docker\t''
oci\t''"
complete -c berth -n "__fish_berth_using_subcommand save" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand login" -s u -l username -d 'Username' -r
complete -c berth -n "__fish_berth_using_subcommand login" -s p -l password -d 'Password (insecure: prefer --password-stdin)' -r
complete -c berth -n "__fish_berth_using_subcommand login" -l password-stdin -d 'Read the password from stdin'
complete -c berth -n "__fish_berth_using_subcommand login" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand logout" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand images" -s f -l filter -d 'Filter output based on conditions provided (reference=, dangling=, label=)' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l platform -d 'Platform whose manifest gives ID, size and creation time (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand images" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand images" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand images" -l digests -d 'Show digests'
complete -c berth -n "__fish_berth_using_subcommand images" -s a -l all -d 'Show all images (berth has no intermediate images, so this lists the same)'
complete -c berth -n "__fish_berth_using_subcommand images" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand rmi" -l platform -d 'Platform whose image ID to match (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand rmi" -s f -l force -d 'Force removal of the image'
complete -c berth -n "__fish_berth_using_subcommand rmi" -l no-prune -d 'Do not delete untagged parents (berth images have no separate parents, so this changes nothing)'
complete -c berth -n "__fish_berth_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand run" -l name -d 'Assign a name to the container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s e -l env -d 'Set environment variables (KEY=VALUE, or KEY to copy it from berth\'s environment)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l env-file -d 'Read in a file of environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s h -l hostname -d 'Container host name' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l domainname -d 'Container NIS domain name' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s l -l label -d 'Set meta data on a container (KEY=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l label-file -d 'Read in a line delimited file of labels' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l stop-signal -d 'Signal to stop the container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l stop-timeout -d 'Timeout (in seconds) to stop a container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l rm -d 'Automatically remove the container when it exits' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -l health-cmd -d 'Command to run to check health' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-interval -d 'Time between running the check (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-retries -d 'Consecutive failures needed to report unhealthy' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-timeout -d 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-start-period -d 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-start-interval -d 'Time between running the check during the start period (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l runtime -d 'Runtime to use for this container (runc, or a containerd shim name such as io.containerd.runc.v2)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l annotation -d 'Add an annotation to the container (passed through to the OCI runtime)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l userns -d 'User namespace to use (host or private: berth never remaps, as docker without userns-remap)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l isolation -d 'Container isolation technology (default, the only one on Linux)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l volume-driver -d 'Optional volume driver for the container (local, the only one berth has)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l network -l net -d 'Connect a container to a network: bridge (the default), host, none, container:NAME|ID, or a network made by `network create`' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l network-alias -d 'More names the container answers to on a user network' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s p -l publish -d 'Publish a container\'s port(s) to the host ([IP:][HOSTPORT:]CONTAINERPORT[/PROTO])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l expose -d 'Expose a port or a range of ports (published by -P)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l add-host -d 'Add a custom host-to-IP mapping (HOST:IP; IP may be host-gateway)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l dns -d 'Set custom DNS servers' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l dns-search -d 'Set custom DNS search domains' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l dns-option -d 'Set DNS options' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l link -d 'Add link to another container (docker\'s legacy links)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ip -d 'IPv4 address (e.g., 172.30.100.104)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ip6 -d 'IPv6 address (e.g., 2001:db8::33)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l mac-address -d 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l link-local-ip -d 'Container IPv4/IPv6 link-local addresses' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l pull -d 'Pull image before running ("always", "missing", "never")' -r -f -a "always\t''
missing\t''
never\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -l platform -d 'Set platform if server is multi-platform capable' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l disable-content-trust -d 'Skip image verification (berth verifies no signatures: only true, docker\'s default, is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -l log-driver -d 'Logging driver for the container (json-file or none)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l log-opt -d 'Log driver options (max-size=SIZE, max-file=N)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s v -l volume -d 'Bind mount a host path or mount a volume (SRC:DST[:OPTS], NAME:DST[:OPTS], or DST for an anonymous volume)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l mount -d 'Attach a filesystem mount to the container (type=bind|volume|tmpfs,source=...,target=...[,readonly])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l tmpfs -d 'Mount a tmpfs directory (PATH[:OPTIONS])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l volumes-from -d 'Mount volumes from the specified container(s) (CONTAINER[:ro|rw])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l read-only -d 'Mount the container\'s root filesystem as read only' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -l cidfile -d 'Write the container ID to the file' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l memory-swap -d 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l privileged -d 'Give extended privileges to this container' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -l cap-add -d 'Add Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l security-opt -d 'Security Options (no-new-privileges, seccomp=unconfined|PROFILE.json, apparmor=PROFILE, systempaths=unconfined)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device -d 'Add a host device to the container (HOST[:CONTAINER][:rwm])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device-cgroup-rule -d 'Add a rule to the cgroup allowed devices list (\'c|b|a MAJOR:MINOR rwm\', * for any)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l group-add -d 'Add additional groups to join' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ipc -d 'IPC mode to use (private, shareable, none, host, container:NAME)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l pid -d 'PID namespace to use (host, container:NAME)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l uts -d 'UTS namespace to use (host)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cgroupns -d 'Cgroup namespace to use (host|private)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cgroup-parent -d 'Optional parent cgroup for the container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ulimit -d 'Ulimit options (NAME=SOFT[:HARD])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l shm-size -d 'Size of /dev/shm' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l sysctl -d 'Sysctl options (NAME=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l oom-kill-disable -d 'Disable OOM Killer' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -l oom-score-adj -d 'Tune host\'s OOM preferences (-1000 to 1000)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l memory-swappiness -d 'Tune container memory swappiness (0 to 100)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l init -d 'Run an init inside the container that forwards signals and reaps processes' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -l device-read-bps -d 'Limit read rate (bytes per second) from a device (PATH:RATE, e.g. /dev/sda:1mb)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device-write-bps -d 'Limit write rate (bytes per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device-read-iops -d 'Limit read rate (IO per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device-write-iops -d 'Limit write rate (IO per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l blkio-weight-device -d 'Block IO weight (relative device weight)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l sig-proxy -d 'Proxy received signals to the process' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l gpus -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l storage-opt -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-count -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-percent -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l io-maxbandwidth -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l io-maxiops -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l kernel-memory -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand run" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand run" -l no-healthcheck -d 'Disable any container-specified HEALTHCHECK'
complete -c berth -n "__fish_berth_using_subcommand run" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c berth -n "__fish_berth_using_subcommand run" -s d -l detach -d 'Run container in background and print container ID'
complete -c berth -n "__fish_berth_using_subcommand run" -s q -l quiet -d 'Suppress the pull output'
complete -c berth -n "__fish_berth_using_subcommand run" -l help -d 'Print usage'
complete -c berth -n "__fish_berth_using_subcommand ps" -s n -l last -d 'Show n last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -s f -l filter -d 'Filter output based on conditions provided (status, name, label, id, ancestor, exited, volume, health; pod, k8s-namespace)' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand ps" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand ps" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand ps" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand ps" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand ps" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand rm" -s f -l force -d 'Force the removal of a running container (uses SIGKILL)'
complete -c berth -n "__fish_berth_using_subcommand rm" -s v -l volumes -d 'Remove anonymous volumes associated with the container'
complete -c berth -n "__fish_berth_using_subcommand rm" -s l -l link -d 'Remove the specified link (/CONTAINER/ALIAS)'
complete -c berth -n "__fish_berth_using_subcommand rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand create" -l name -d 'Assign a name to the container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s e -l env -d 'Set environment variables (KEY=VALUE, or KEY to copy it from berth\'s environment)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l env-file -d 'Read in a file of environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s h -l hostname -d 'Container host name' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l domainname -d 'Container NIS domain name' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s l -l label -d 'Set meta data on a container (KEY=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l label-file -d 'Read in a line delimited file of labels' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l stop-signal -d 'Signal to stop the container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l stop-timeout -d 'Timeout (in seconds) to stop a container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l rm -d 'Automatically remove the container when it exits' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand create" -l health-cmd -d 'Command to run to check health' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-interval -d 'Time between running the check (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-retries -d 'Consecutive failures needed to report unhealthy' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-timeout -d 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-start-period -d 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-start-interval -d 'Time between running the check during the start period (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l runtime -d 'Runtime to use for this container (runc, or a containerd shim name such as io.containerd.runc.v2)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l annotation -d 'Add an annotation to the container (passed through to the OCI runtime)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l userns -d 'User namespace to use (host or private: berth never remaps, as docker without userns-remap)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l isolation -d 'Container isolation technology (default, the only one on Linux)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l volume-driver -d 'Optional volume driver for the container (local, the only one berth has)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l network -l net -d 'Connect a container to a network: bridge (the default), host, none, container:NAME|ID, or a network made by `network create`' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l network-alias -d 'More names the container answers to on a user network' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s p -l publish -d 'Publish a container\'s port(s) to the host ([IP:][HOSTPORT:]CONTAINERPORT[/PROTO])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l expose -d 'Expose a port or a range of ports (published by -P)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l add-host -d 'Add a custom host-to-IP mapping (HOST:IP; IP may be host-gateway)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l dns -d 'Set custom DNS servers' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l dns-search -d 'Set custom DNS search domains' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l dns-option -d 'Set DNS options' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l link -d 'Add link to another container (docker\'s legacy links)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ip -d 'IPv4 address (e.g., 172.30.100.104)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ip6 -d 'IPv6 address (e.g., 2001:db8::33)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l mac-address -d 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l link-local-ip -d 'Container IPv4/IPv6 link-local addresses' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l pull -d 'Pull image before running ("always", "missing", "never")' -r -f -a "always\t''
missing\t''
never\t''"
complete -c berth -n "__fish_berth_using_subcommand create" -l platform -d 'Set platform if server is multi-platform capable' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l disable-content-trust -d 'Skip image verification (berth verifies no signatures: only true, docker\'s default, is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand create" -l log-driver -d 'Logging driver for the container (json-file or none)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l log-opt -d 'Log driver options (max-size=SIZE, max-file=N)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s v -l volume -d 'Bind mount a host path or mount a volume (SRC:DST[:OPTS], NAME:DST[:OPTS], or DST for an anonymous volume)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l mount -d 'Attach a filesystem mount to the container (type=bind|volume|tmpfs,source=...,target=...[,readonly])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l tmpfs -d 'Mount a tmpfs directory (PATH[:OPTIONS])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l volumes-from -d 'Mount volumes from the specified container(s) (CONTAINER[:ro|rw])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l read-only -d 'Mount the container\'s root filesystem as read only' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand create" -l cidfile -d 'Write the container ID to the file' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l memory-swap -d 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l privileged -d 'Give extended privileges to this container' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand create" -l cap-add -d 'Add Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l security-opt -d 'Security Options (no-new-privileges, seccomp=unconfined|PROFILE.json, apparmor=PROFILE, systempaths=unconfined)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device -d 'Add a host device to the container (HOST[:CONTAINER][:rwm])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device-cgroup-rule -d 'Add a rule to the cgroup allowed devices list (\'c|b|a MAJOR:MINOR rwm\', * for any)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l group-add -d 'Add additional groups to join' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ipc -d 'IPC mode to use (private, shareable, none, host, container:NAME)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l pid -d 'PID namespace to use (host, container:NAME)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l uts -d 'UTS namespace to use (host)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cgroupns -d 'Cgroup namespace to use (host|private)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cgroup-parent -d 'Optional parent cgroup for the container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ulimit -d 'Ulimit options (NAME=SOFT[:HARD])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l shm-size -d 'Size of /dev/shm' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l sysctl -d 'Sysctl options (NAME=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l oom-kill-disable -d 'Disable OOM Killer' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand create" -l oom-score-adj -d 'Tune host\'s OOM preferences (-1000 to 1000)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l memory-swappiness -d 'Tune container memory swappiness (0 to 100)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l init -d 'Run an init inside the container that forwards signals and reaps processes' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand create" -l device-read-bps -d 'Limit read rate (bytes per second) from a device (PATH:RATE, e.g. /dev/sda:1mb)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device-write-bps -d 'Limit write rate (bytes per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device-read-iops -d 'Limit read rate (IO per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device-write-iops -d 'Limit write rate (IO per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l blkio-weight-device -d 'Block IO weight (relative device weight)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l gpus -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l storage-opt -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-count -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-percent -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l io-maxbandwidth -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l io-maxiops -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l kernel-memory -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand create" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand create" -l no-healthcheck -d 'Disable any container-specified HEALTHCHECK'
complete -c berth -n "__fish_berth_using_subcommand create" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c berth -n "__fish_berth_using_subcommand create" -s q -l quiet -d 'Suppress the pull output'
complete -c berth -n "__fish_berth_using_subcommand create" -l help -d 'Print usage'
complete -c berth -n "__fish_berth_using_subcommand start" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand start" -l checkpoint -d 'experimental daemon only' -r
complete -c berth -n "__fish_berth_using_subcommand start" -l checkpoint-dir -d 'experimental daemon only' -r
complete -c berth -n "__fish_berth_using_subcommand start" -s a -l attach -d 'Attach STDOUT/STDERR and forward signals'
complete -c berth -n "__fish_berth_using_subcommand start" -s i -l interactive -d 'Attach container\'s STDIN'
complete -c berth -n "__fish_berth_using_subcommand start" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand stop" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -s t -l timeout -l time -d 'Seconds to wait before killing the container' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -s f -l force -d 'Act on containers the kubelet manages without asking (berth)'
complete -c berth -n "__fish_berth_using_subcommand stop" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand restart" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -s t -l timeout -l time -d 'Seconds to wait before killing the container' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -s f -l force -d 'Act on containers the kubelet manages without asking (berth)'
complete -c berth -n "__fish_berth_using_subcommand restart" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand kill" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand kill" -s f -l force -d 'Act on containers the kubelet manages without asking (berth)'
complete -c berth -n "__fish_berth_using_subcommand kill" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand wait" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand logs" -s n -l tail -d 'Number of lines to show from the end of the logs ("all" for all)' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l since -d 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l until -d 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -s f -l follow -d 'Follow log output'
complete -c berth -n "__fish_berth_using_subcommand logs" -s t -l timestamps -d 'Show timestamps'
complete -c berth -n "__fish_berth_using_subcommand logs" -l details -d 'Show extra details provided to logs'
complete -c berth -n "__fish_berth_using_subcommand logs" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand exec" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l env-file -d 'Read in a file of environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l privileged -d 'Give extended privileges to the command' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand exec" -s u -l user -d 'Username or UID (format: "<name|uid>[:<group|gid>]")' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -s d -l detach -d 'Detached mode: run command in the background'
complete -c berth -n "__fish_berth_using_subcommand exec" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand exec" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand inspect" -s f -l format -d 'Format output using a custom template: \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l type -d 'Only inspect objects of this type' -r -f -a "container\t''
image\t''"
complete -c berth -n "__fish_berth_using_subcommand inspect" -l platform -d 'Inspect a specific platform of a multi-platform image (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -s s -l size -d 'Display total file sizes if the type is container'
complete -c berth -n "__fish_berth_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand rename" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand update" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand update" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l memory-swap -d 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l kernel-memory -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand update" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand pause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand unpause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand stats" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand stats" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand stats" -l no-stream -d 'Disable streaming stats and only pull the first result'
complete -c berth -n "__fish_berth_using_subcommand stats" -l no-trunc -d 'Do not truncate output'
complete -c berth -n "__fish_berth_using_subcommand stats" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand top" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand commit" -s a -l author -d 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' -r
complete -c berth -n "__fish_berth_using_subcommand commit" -s c -l change -d 'Apply Dockerfile instruction to the created image' -r
complete -c berth -n "__fish_berth_using_subcommand commit" -s m -l message -d 'Commit message' -r
complete -c berth -n "__fish_berth_using_subcommand commit" -s p -l pause -d 'Pause container during commit' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand commit" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand cp" -s L -l follow-link -d 'Always follow symlinks in SRC_PATH'
complete -c berth -n "__fish_berth_using_subcommand cp" -s a -l archive -d 'Archive mode (copy all uid/gid information)'
complete -c berth -n "__fish_berth_using_subcommand cp" -s q -l quiet -d 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached'
complete -c berth -n "__fish_berth_using_subcommand cp" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand diff" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand export" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c berth -n "__fish_berth_using_subcommand export" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand port" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand attach" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand attach" -l sig-proxy -d 'Proxy all received signals to the process' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand attach" -l no-stdin -d 'Do not attach STDIN'
complete -c berth -n "__fish_berth_using_subcommand attach" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "ls" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "list" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "prune" -d 'Remove unused images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "rm" -d 'Remove one or more images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "remove" -d 'Remove one or more images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "pull" -d 'Download an image from a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "build" -d 'Build an image from a Dockerfile with BuildKit'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "push" -d 'Upload an image to a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "import" -d 'Import the contents from a tarball to create a filesystem image'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "tag" -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "load" -d 'Load an image from a tar archive or stdin'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "save" -d 'Save one or more images to a tar archive (streamed to stdout by default)'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "inspect" -d 'Display detailed information on one or more images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list prune rm remove pull build push history import tag load save inspect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output based on conditions provided (reference=, dangling=, label=)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l platform -d 'Platform whose manifest gives ID, size and creation time (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show digests'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all images (berth has no intermediate images, so this lists the same)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output based on conditions provided (reference=, dangling=, label=)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l platform -d 'Platform whose manifest gives ID, size and creation time (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l digests -d 'Show digests'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all images (berth has no intermediate images, so this lists the same)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. "until=<timestamp>", "label=<key>[=<value>]")' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all images no container uses, not just dangling ones'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l platform -d 'Platform whose image ID to match (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Force removal of the image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l no-prune -d 'Do not delete untagged parents (berth images have no separate parents, so this changes nothing)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l platform -d 'Platform whose image ID to match (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -s f -l force -d 'Force removal of the image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l no-prune -d 'Do not delete untagged parents (berth images have no separate parents, so this changes nothing)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'Platform to pull, e.g. linux/arm64 (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l max-concurrent-downloads -d 'How many layers to download at once [default: 3; 1, largest first, where layers unpack in parallel]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l disable-content-trust -d 'Skip image verification (berth does not verify signatures; only true is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Suppress verbose output; print only the image reference'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -s a -l all-tags -d 'Download all tagged images in the repository'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s t -l tag -d 'Name and optionally a tag (name:tag); repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s f -l file -d 'Dockerfile (default: PATH/Dockerfile; - reads it from stdin)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l build-arg -d 'Build-time variable KEY=VALUE, or KEY to take it from the environment' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l target -d 'Build stage to stop at' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l platform -d 'Target platform(s), comma-separated or repeated' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l label -d 'Image label KEY=VALUE; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l network -d 'Network for RUN steps: default, host or none' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l add-host -d 'Host-to-IP mapping for RUN steps (host:ip); repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l shm-size -d 'Size of /dev/shm for RUN steps' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l ulimit -d 'Ulimit options for RUN steps (e.g. nofile=1024:2048)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l progress -d 'Progress output: auto, plain, tty or rawjson' -r -f -a "auto\t''
plain\t''
tty\t''
rawjson\t''
quiet\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l iidfile -d 'Write the image ID to this file' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s o -l output -d 'Output: type=local,dest=DIR | type=tar,dest=FILE | type=docker[,dest=FILE] | type=oci[,dest=FILE] | type=image,name=...[,push=true] | DIR | -' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l secret -d 'Secret for RUN --mount=type=secret: id=ID,src=PATH | id=ID,env=VAR; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l ssh -d 'SSH agent to forward: default or ID=SOCKET; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cache-from -d 'Cache source: type=registry,ref=... or a reference; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cache-to -d 'Cache destination: type=registry,ref=...[,mode=max] or inline; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l buildkit-host -d 'BuildKit daemon address (unix:///path or tcp://host:port)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cgroup-parent -d 'Parent cgroup of RUN steps' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l disable-content-trust -d 'Skip image verification (berth does not verify signatures; only true is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l build-context -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l allow -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l attest -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l sbom -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l provenance -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l metadata-file -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l compress -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l rm -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l force-rm -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l squash -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l isolation -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l security-opt -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s m -l memory -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l memory-swap -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s c -l cpu-shares -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cpu-period -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cpu-quota -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cpuset-cpus -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cpuset-mems -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l no-cache -d 'Do not use the build cache'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l pull -d 'Always look for newer versions of base images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Print only the image ID'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l load -d 'Load the image into containerd (what berth does by default)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l push -d 'Shorthand for --output type=image,push=true'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l platform -d 'Push only this platform\'s manifest' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l disable-content-trust -d 'Skip image signing (berth does not sign; only true is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l all-platforms -d 'Push every platform of a multi-platform image (berth\'s; docker\'s `-a` is `--all-tags`)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -s a -l all-tags -d 'Push all tags of an image to the repository'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Suppress verbose output; print only the pushed reference'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -s H -l human -d 'Print sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l platform -d 'Platform whose image to show (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s c -l change -d 'Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR); repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s m -l message -d 'Commit message for the image\'s history' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l platform -d 'Platform to record (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from this archive file instead of stdin' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l platform -d 'Unpack this platform (which every image must have) instead of the host\'s' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Suppress the load output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l platform -d 'Platform to save (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'Archive format: docker (OCI layout with manifest.json) or oci' -r -f -a "docker\t''
oci\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output using a custom template: \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l type -d 'Only inspect objects of this type' -r -f -a "container\t''
image\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l platform -d 'Inspect a specific platform of a multi-platform image (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -s s -l size -d 'Display total file sizes if the type is container'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove unused images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Download an image from a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build an image from a Dockerfile with BuildKit'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "push" -d 'Upload an image to a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import the contents from a tarball to create a filesystem image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "tag" -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "load" -d 'Load an image from a tar archive or stdin'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save one or more images to a tar archive (streamed to stdout by default)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on one or more images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "list" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "rm" -d 'Remove one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "remove" -d 'Remove one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "run" -d 'Create and run a new container from an image'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "create" -d 'Create a new container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "start" -d 'Start one or more stopped containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "stop" -d 'Stop one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "restart" -d 'Restart one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "kill" -d 'Kill one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "wait" -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "logs" -d 'Fetch the logs of a container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "exec" -d 'Execute a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "inspect" -d 'Display detailed information on one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "update" -d 'Update configuration of one or more containers (the restart policy)'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "pause" -d 'Pause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "unpause" -d 'Unpause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "stats" -d 'Display a live stream of container(s) resource usage statistics'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "top" -d 'Display the running processes of a container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "diff" -d 'Inspect changes to files or directories on a container\'s filesystem'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "attach" -d 'Attach to a running container (not supported yet)'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "prune" -d 'Remove all stopped containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from ls list ps rm remove run create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s n -l last -d 'Show n last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output based on conditions provided (status, name, label, id, ancestor, exited, volume, health; pod, k8s-namespace)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s n -l last -d 'Show n last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output based on conditions provided (status, name, label, id, ancestor, exited, volume, health; pod, k8s-namespace)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s n -l last -d 'Show n last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s f -l filter -d 'Filter output based on conditions provided (status, name, label, id, ancestor, exited, volume, health; pod, k8s-namespace)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s f -l force -d 'Force the removal of a running container (uses SIGKILL)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s v -l volumes -d 'Remove anonymous volumes associated with the container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s l -l link -d 'Remove the specified link (/CONTAINER/ALIAS)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -s f -l force -d 'Force the removal of a running container (uses SIGKILL)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -s v -l volumes -d 'Remove anonymous volumes associated with the container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -s l -l link -d 'Remove the specified link (/CONTAINER/ALIAS)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l name -d 'Assign a name to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s e -l env -d 'Set environment variables (KEY=VALUE, or KEY to copy it from berth\'s environment)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l env-file -d 'Read in a file of environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s h -l hostname -d 'Container host name' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l domainname -d 'Container NIS domain name' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s l -l label -d 'Set meta data on a container (KEY=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l label-file -d 'Read in a line delimited file of labels' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-signal -d 'Signal to stop the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-timeout -d 'Timeout (in seconds) to stop a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l rm -d 'Automatically remove the container when it exits' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-cmd -d 'Command to run to check health' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-interval -d 'Time between running the check (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-retries -d 'Consecutive failures needed to report unhealthy' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-timeout -d 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-start-period -d 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-start-interval -d 'Time between running the check during the start period (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l runtime -d 'Runtime to use for this container (runc, or a containerd shim name such as io.containerd.runc.v2)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l annotation -d 'Add an annotation to the container (passed through to the OCI runtime)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l userns -d 'User namespace to use (host or private: berth never remaps, as docker without userns-remap)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l isolation -d 'Container isolation technology (default, the only one on Linux)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l volume-driver -d 'Optional volume driver for the container (local, the only one berth has)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l network -l net -d 'Connect a container to a network: bridge (the default), host, none, container:NAME|ID, or a network made by `network create`' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l network-alias -d 'More names the container answers to on a user network' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s p -l publish -d 'Publish a container\'s port(s) to the host ([IP:][HOSTPORT:]CONTAINERPORT[/PROTO])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l expose -d 'Expose a port or a range of ports (published by -P)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l add-host -d 'Add a custom host-to-IP mapping (HOST:IP; IP may be host-gateway)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l dns -d 'Set custom DNS servers' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-search -d 'Set custom DNS search domains' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-option -d 'Set DNS options' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l link -d 'Add link to another container (docker\'s legacy links)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ip -d 'IPv4 address (e.g., 172.30.100.104)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ip6 -d 'IPv6 address (e.g., 2001:db8::33)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l mac-address -d 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l link-local-ip -d 'Container IPv4/IPv6 link-local addresses' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pull -d 'Pull image before running ("always", "missing", "never")' -r -f -a "always\t''
missing\t''
never\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l platform -d 'Set platform if server is multi-platform capable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l disable-content-trust -d 'Skip image verification (berth verifies no signatures: only true, docker\'s default, is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l log-driver -d 'Logging driver for the container (json-file or none)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l log-opt -d 'Log driver options (max-size=SIZE, max-file=N)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s v -l volume -d 'Bind mount a host path or mount a volume (SRC:DST[:OPTS], NAME:DST[:OPTS], or DST for an anonymous volume)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l mount -d 'Attach a filesystem mount to the container (type=bind|volume|tmpfs,source=...,target=...[,readonly])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l tmpfs -d 'Mount a tmpfs directory (PATH[:OPTIONS])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l volumes-from -d 'Mount volumes from the specified container(s) (CONTAINER[:ro|rw])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l read-only -d 'Mount the container\'s root filesystem as read only' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cidfile -d 'Write the container ID to the file' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-swap -d 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l privileged -d 'Give extended privileges to this container' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-add -d 'Add Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l security-opt -d 'Security Options (no-new-privileges, seccomp=unconfined|PROFILE.json, apparmor=PROFILE, systempaths=unconfined)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device -d 'Add a host device to the container (HOST[:CONTAINER][:rwm])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device-cgroup-rule -d 'Add a rule to the cgroup allowed devices list (\'c|b|a MAJOR:MINOR rwm\', * for any)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l group-add -d 'Add additional groups to join' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ipc -d 'IPC mode to use (private, shareable, none, host, container:NAME)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pid -d 'PID namespace to use (host, container:NAME)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l uts -d 'UTS namespace to use (host)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cgroupns -d 'Cgroup namespace to use (host|private)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cgroup-parent -d 'Optional parent cgroup for the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ulimit -d 'Ulimit options (NAME=SOFT[:HARD])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l shm-size -d 'Size of /dev/shm' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l sysctl -d 'Sysctl options (NAME=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l oom-kill-disable -d 'Disable OOM Killer' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l oom-score-adj -d 'Tune host\'s OOM preferences (-1000 to 1000)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-swappiness -d 'Tune container memory swappiness (0 to 100)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l init -d 'Run an init inside the container that forwards signals and reaps processes' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device-read-bps -d 'Limit read rate (bytes per second) from a device (PATH:RATE, e.g. /dev/sda:1mb)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device-write-bps -d 'Limit write rate (bytes per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device-read-iops -d 'Limit read rate (IO per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device-write-iops -d 'Limit write rate (IO per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l blkio-weight-device -d 'Block IO weight (relative device weight)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l sig-proxy -d 'Proxy received signals to the process' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l gpus -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l storage-opt -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-count -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-percent -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l io-maxbandwidth -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l io-maxiops -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l kernel-memory -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l no-healthcheck -d 'Disable any container-specified HEALTHCHECK'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s d -l detach -d 'Run container in background and print container ID'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Suppress the pull output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l help -d 'Print usage'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l name -d 'Assign a name to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s e -l env -d 'Set environment variables (KEY=VALUE, or KEY to copy it from berth\'s environment)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l env-file -d 'Read in a file of environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s h -l hostname -d 'Container host name' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l domainname -d 'Container NIS domain name' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s l -l label -d 'Set meta data on a container (KEY=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l label-file -d 'Read in a line delimited file of labels' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-signal -d 'Signal to stop the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-timeout -d 'Timeout (in seconds) to stop a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l rm -d 'Automatically remove the container when it exits' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-cmd -d 'Command to run to check health' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-interval -d 'Time between running the check (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-retries -d 'Consecutive failures needed to report unhealthy' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-timeout -d 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-start-period -d 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-start-interval -d 'Time between running the check during the start period (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l runtime -d 'Runtime to use for this container (runc, or a containerd shim name such as io.containerd.runc.v2)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l annotation -d 'Add an annotation to the container (passed through to the OCI runtime)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l userns -d 'User namespace to use (host or private: berth never remaps, as docker without userns-remap)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l isolation -d 'Container isolation technology (default, the only one on Linux)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l volume-driver -d 'Optional volume driver for the container (local, the only one berth has)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l network -l net -d 'Connect a container to a network: bridge (the default), host, none, container:NAME|ID, or a network made by `network create`' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l network-alias -d 'More names the container answers to on a user network' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish a container\'s port(s) to the host ([IP:][HOSTPORT:]CONTAINERPORT[/PROTO])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l expose -d 'Expose a port or a range of ports (published by -P)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l add-host -d 'Add a custom host-to-IP mapping (HOST:IP; IP may be host-gateway)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l dns -d 'Set custom DNS servers' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-search -d 'Set custom DNS search domains' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-option -d 'Set DNS options' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l link -d 'Add link to another container (docker\'s legacy links)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ip -d 'IPv4 address (e.g., 172.30.100.104)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ip6 -d 'IPv6 address (e.g., 2001:db8::33)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l mac-address -d 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l link-local-ip -d 'Container IPv4/IPv6 link-local addresses' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pull -d 'Pull image before running ("always", "missing", "never")' -r -f -a "always\t''
missing\t''
never\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l platform -d 'Set platform if server is multi-platform capable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l disable-content-trust -d 'Skip image verification (berth verifies no signatures: only true, docker\'s default, is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l log-driver -d 'Logging driver for the container (json-file or none)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l log-opt -d 'Log driver options (max-size=SIZE, max-file=N)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s v -l volume -d 'Bind mount a host path or mount a volume (SRC:DST[:OPTS], NAME:DST[:OPTS], or DST for an anonymous volume)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l mount -d 'Attach a filesystem mount to the container (type=bind|volume|tmpfs,source=...,target=...[,readonly])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l tmpfs -d 'Mount a tmpfs directory (PATH[:OPTIONS])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l volumes-from -d 'Mount volumes from the specified container(s) (CONTAINER[:ro|rw])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l read-only -d 'Mount the container\'s root filesystem as read only' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cidfile -d 'Write the container ID to the file' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-swap -d 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l privileged -d 'Give extended privileges to this container' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-add -d 'Add Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l security-opt -d 'Security Options (no-new-privileges, seccomp=unconfined|PROFILE.json, apparmor=PROFILE, systempaths=unconfined)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device -d 'Add a host device to the container (HOST[:CONTAINER][:rwm])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device-cgroup-rule -d 'Add a rule to the cgroup allowed devices list (\'c|b|a MAJOR:MINOR rwm\', * for any)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l group-add -d 'Add additional groups to join' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ipc -d 'IPC mode to use (private, shareable, none, host, container:NAME)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pid -d 'PID namespace to use (host, container:NAME)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l uts -d 'UTS namespace to use (host)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cgroupns -d 'Cgroup namespace to use (host|private)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cgroup-parent -d 'Optional parent cgroup for the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ulimit -d 'Ulimit options (NAME=SOFT[:HARD])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l shm-size -d 'Size of /dev/shm' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l sysctl -d 'Sysctl options (NAME=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l oom-kill-disable -d 'Disable OOM Killer' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l oom-score-adj -d 'Tune host\'s OOM preferences (-1000 to 1000)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-swappiness -d 'Tune container memory swappiness (0 to 100)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l init -d 'Run an init inside the container that forwards signals and reaps processes' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device-read-bps -d 'Limit read rate (bytes per second) from a device (PATH:RATE, e.g. /dev/sda:1mb)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device-write-bps -d 'Limit write rate (bytes per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device-read-iops -d 'Limit read rate (IO per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device-write-iops -d 'Limit write rate (IO per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l blkio-weight-device -d 'Block IO weight (relative device weight)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l gpus -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l storage-opt -d 'not supported yet' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-count -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-percent -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l io-maxbandwidth -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l io-maxiops -d 'windows only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l kernel-memory -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l no-healthcheck -d 'Disable any container-specified HEALTHCHECK'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Suppress the pull output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l help -d 'Print usage'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l checkpoint -d 'experimental daemon only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l checkpoint-dir -d 'experimental daemon only' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -s a -l attach -d 'Attach STDOUT/STDERR and forward signals'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -s i -l interactive -d 'Attach container\'s STDIN'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -s t -l timeout -l time -d 'Seconds to wait before killing the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -s f -l force -d 'Act on containers the kubelet manages without asking (berth)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -s t -l timeout -l time -d 'Seconds to wait before killing the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -s f -l force -d 'Act on containers the kubelet manages without asking (berth)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -s f -l force -d 'Act on containers the kubelet manages without asking (berth)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s n -l tail -d 'Number of lines to show from the end of the logs ("all" for all)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l since -d 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l until -d 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Follow log output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s t -l timestamps -d 'Show timestamps'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l details -d 'Show extra details provided to logs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l env-file -d 'Read in a file of environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l privileged -d 'Give extended privileges to the command' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s u -l user -d 'Username or UID (format: "<name|uid>[:<group|gid>]")' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Detached mode: run command in the background'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output using a custom template: \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l type -d 'Only inspect objects of this type' -r -f -a "container\t''
image\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l platform -d 'Inspect a specific platform of a multi-platform image (default: this host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -s s -l size -d 'Display total file sizes if the type is container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l memory-swap -d 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l kernel-memory -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-stream -d 'Disable streaming stats and only pull the first result'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-trunc -d 'Do not truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s a -l author -d 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s c -l change -d 'Apply Dockerfile instruction to the created image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s m -l message -d 'Commit message' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s p -l pause -d 'Pause container during commit' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -s L -l follow-link -d 'Always follow symlinks in SRC_PATH'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -s a -l archive -d 'Archive mode (copy all uid/gid information)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -s q -l quiet -d 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l sig-proxy -d 'Proxy all received signals to the process' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l no-stdin -d 'Do not attach STDIN'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. "until=<timestamp>", "label=<key>[=<value>]")' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "run" -d 'Create and run a new container from an image'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a new container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start one or more stopped containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Restart one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Kill one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Fetch the logs of a container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Execute a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "update" -d 'Update configuration of one or more containers (the restart policy)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Pause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "unpause" -d 'Unpause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Display a live stream of container(s) resource usage statistics'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "top" -d 'Display the running processes of a container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Inspect changes to files or directories on a container\'s filesystem'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "attach" -d 'Attach to a running container (not supported yet)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove all stopped containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "create" -d 'Create a network'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "ls" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "list" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "inspect" -d 'Display detailed information on one or more networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "rm" -d 'Remove one or more networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "remove" -d 'Remove one or more networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "prune" -d 'Remove all unused networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "connect" -d 'Connect a container to a network'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "disconnect" -d 'Disconnect a container from a network'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -s d -l driver -d 'Driver to manage the Network (bridge, macvlan, ipvlan)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l subnet -d 'Subnet in CIDR format that represents a network segment (one IPv4, one IPv6)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l gateway -d 'IPv4 or IPv6 Gateway for the master subnet' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ipv6 -d 'Enable or disable IPv6 networking' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l label -d 'Set metadata on a network (KEY=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -s o -l opt -d 'Set driver specific options (parent=IFACE for macvlan and ipvlan)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ip-range -d 'Allocate container ip from a sub-range' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l aux-address -d 'Auxiliary IPv4 addresses used by Network driver (NAME=IP)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ipam-driver -d 'IP Address Management Driver (default, the only one berth has)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ipam-opt -d 'Set IPAM driver specific options' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ipv4 -d 'Enable or disable IPv4 address assignment (only true: berth\'s networks are IPv4)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l scope -d 'Control the network\'s scope (local: berth has no swarm)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l config-from -d 'The network from which to copy the configuration' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l internal -d 'Restrict external access to the network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l attachable -d 'Enable manual container attachment'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ingress -d 'Create swarm routing-mesh network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l config-only -d 'Create a configuration only network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Provide filter values (e.g. "driver=bridge")' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only display network IDs'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate the output'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -s f -l filter -d 'Provide filter values (e.g. "driver=bridge")' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only display network IDs'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate the output'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output using a custom template: \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -s v -l verbose -d 'Verbose output for diagnostics (swarm details: a local network\'s document is the same)'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -s f -l force -d 'Do not error if the network does not exist'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -s f -l force -d 'Do not error if the network does not exist'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. "until=<timestamp>")' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l alias -d 'Add network-scoped alias for the container' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l ip -d 'IPv4 address (e.g., "172.30.100.104")' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l ip6 -d 'IPv6 address (e.g., "2001:db8::33")' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l link -d 'Add link to another container (NAME[:ALIAS], a name it answers to here)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l link-local-ip -d 'Add a link-local address for the container' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l driver-opt -d 'driver options for the network (com.docker.network.endpoint.sysctls=net.X.Y.IFNAME.Z=V,...)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l gw-priority -d 'Highest gw-priority provides the default gateway. Accepts positive and negative values' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s f -l force -d 'Force the container to disconnect from a network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on one or more networks'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more networks'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove all unused networks'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect a container to a network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "disconnect" -d 'Disconnect a container from a network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -f -a "create" -d 'Create a volume'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -f -a "ls" -d 'List volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -f -a "list" -d 'List volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -f -a "inspect" -d 'Display detailed information on one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -f -a "rm" -d 'Remove one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -f -a "remove" -d 'Remove one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -f -a "prune" -d 'Remove unused local volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -f -a "update" -d 'Update a volume (cluster volumes only)'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune update help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -s d -l driver -d 'Specify volume driver name (only local)' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l label -d 'Set metadata for a volume (KEY=VALUE)' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -s o -l opt -d 'Set driver specific options (not supported yet)' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l name -d 'Specify volume name' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l group -d 'swarm manager only' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l scope -d 'swarm manager only' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l sharing -d 'swarm manager only' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l availability -d 'swarm manager only' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l type -d 'swarm manager only' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l limit-bytes -d 'swarm manager only' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l required-bytes -d 'swarm manager only' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l secret -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l topology-required -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l topology-preferred -d 'ignored, as docker ignores it' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Provide filter values (e.g. \'dangling=true\')' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only display volume names'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l cluster -d 'Display only cluster volumes, and use cluster volume list formatting'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -s f -l filter -d 'Provide filter values (e.g. \'dangling=true\')' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only display volume names'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l cluster -d 'Display only cluster volumes, and use cluster volume list formatting'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output using a custom template: \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -s f -l force -d 'Force the removal of one or more volumes (a missing one is no error)'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -s f -l force -d 'Force the removal of one or more volumes (a missing one is no error)'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. "label=<label>")' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused volumes, not just anonymous ones'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from update" -l availability -d 'Cluster Volume availability ("active"|"pause"|"drain")' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a volume'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove unused local volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "update" -d 'Update a volume (cluster volumes only)'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand completion" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand __remove-on-exit" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand __health-monitor" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "version" -d 'Show the berth and containerd versions'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "info" -d 'Display system-wide information'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "events" -d 'Get real time events from containerd (this namespace)'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "system" -d 'Manage berth and containerd (docker\'s `system` commands)'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "builder" -d 'Manage builds (BuildKit\'s cache)'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "pull" -d 'Download an image from a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "build" -d 'Build an image from a Dockerfile with BuildKit'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "push" -d 'Upload an image to a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "import" -d 'Import the contents from a tarball to create a filesystem image'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "tag" -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "load" -d 'Load an image from a tar archive or stdin'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "save" -d 'Save one or more images to a tar archive (streamed to stdout by default)'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "login" -d 'Log in to a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "logout" -d 'Log out from a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "images" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "rmi" -d 'Remove one or more images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "run" -d 'Create and run a new container from an image'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "rm" -d 'Remove one or more containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "create" -d 'Create a new container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "start" -d 'Start one or more stopped containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "stop" -d 'Stop one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "restart" -d 'Restart one or more containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "kill" -d 'Kill one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "wait" -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "logs" -d 'Fetch the logs of a container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "exec" -d 'Execute a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "inspect" -d 'Return low-level information on containers and images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "update" -d 'Update configuration of one or more containers (the restart policy)'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "pause" -d 'Pause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "unpause" -d 'Unpause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "stats" -d 'Display a live stream of container(s) resource usage statistics'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "top" -d 'Display the running processes of a container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "diff" -d 'Inspect changes to files or directories on a container\'s filesystem'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "attach" -d 'Attach to a running container (not supported yet)'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "image" -d 'Manage images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "container" -d 'Manage containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "network" -d 'Manage networks'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "volume" -d 'Manage volumes'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "completion" -d 'Generate the shell completion script'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "__remove-on-exit" -d '(internal) `run -d --rm`: removes the container once it exits'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "__health-monitor"
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from version info events system builder pull build push history import tag load save login logout images rmi run ps rm create start stop restart kill wait logs exec inspect rename update pause unpause stats top commit cp diff export port attach image container network volume completion __remove-on-exit __health-monitor help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "df" -d 'Show disk usage (images, containers, volumes, build cache)'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "prune" -d 'Remove unused data'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "info" -d 'Display system-wide information'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "events" -d 'Get real time events from containerd (this namespace)'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from builder" -f -a "build" -d 'Build an image from a Dockerfile with BuildKit (same as `berth build`)'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from builder" -f -a "prune" -d 'Remove build cache'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "ls" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "prune" -d 'Remove unused images'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "rm" -d 'Remove one or more images'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "pull" -d 'Download an image from a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "build" -d 'Build an image from a Dockerfile with BuildKit'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "push" -d 'Upload an image to a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "import" -d 'Import the contents from a tarball to create a filesystem image'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "tag" -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "load" -d 'Load an image from a tar archive or stdin'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "save" -d 'Save one or more images to a tar archive (streamed to stdout by default)'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "inspect" -d 'Display detailed information on one or more images'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rm" -d 'Remove one or more containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "run" -d 'Create and run a new container from an image'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "create" -d 'Create a new container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "start" -d 'Start one or more stopped containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "stop" -d 'Stop one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "restart" -d 'Restart one or more containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "kill" -d 'Kill one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "wait" -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "logs" -d 'Fetch the logs of a container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "exec" -d 'Execute a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "inspect" -d 'Display detailed information on one or more containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "update" -d 'Update configuration of one or more containers (the restart policy)'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "pause" -d 'Pause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "unpause" -d 'Unpause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "stats" -d 'Display a live stream of container(s) resource usage statistics'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "top" -d 'Display the running processes of a container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "diff" -d 'Inspect changes to files or directories on a container\'s filesystem'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "attach" -d 'Attach to a running container (not supported yet)'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "prune" -d 'Remove all stopped containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "create" -d 'Create a network'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "ls" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "inspect" -d 'Display detailed information on one or more networks'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "rm" -d 'Remove one or more networks'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "prune" -d 'Remove all unused networks'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "connect" -d 'Connect a container to a network'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "disconnect" -d 'Disconnect a container from a network'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "create" -d 'Create a volume'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "ls" -d 'List volumes'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "inspect" -d 'Display detailed information on one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "rm" -d 'Remove one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "prune" -d 'Remove unused local volumes'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "update" -d 'Update a volume (cluster volumes only)'
