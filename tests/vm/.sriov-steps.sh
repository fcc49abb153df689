#!/bin/bash
A=/work/main/build/vfio-admin D=/work/main/build/vfio-dump PF=0000:01:00.0
t() { local s=$EPOCHREALTIME; "$@" > /tmp/o 2>&1; local rc=$?; printf '%6.1f s rc=%d %s | %s\n' "$(echo "$EPOCHREALTIME - $s" | bc)" $rc "$*" "$(head -c 200 /tmp/o | tr '\n' '|')"; }
echo 1 > /sys/module/vfio_pci/parameters/enable_sriov
t $A bind $PF
t $A sriov $PF --numvfs 2
sleep 2; VF0=$(basename $(readlink /sys/bus/pci/devices/$PF/virtfn0)); VF1=$(basename $(readlink /sys/bus/pci/devices/$PF/virtfn1))
t $A sriov --json $PF
t $D info --backend group $VF0
t $A sriov $PF --vf-token 5c2f3f7e-9d1a-4c55-8e3b-0a6f2d9b7c41
t $D info --backend group --vf-token 0b7e4d1c-2a3f-4e5d-9c8b-7a6f5e4d3c2b $VF0
t $D info --json --backend auto --vf-token 5c2f3f7e-9d1a-4c55-8e3b-0a6f2d9b7c41 $VF0
t $D info --json --backend group --vf-token 5c2f3f7e-9d1a-4c55-8e3b-0a6f2d9b7c41 $VF0
t $D config --vf-token 5c2f3f7e-9d1a-4c55-8e3b-0a6f2d9b7c41 $VF1
t $A bind 0000:02:00.0
t $D info --vf-token 5c2f3f7e-9d1a-4c55-8e3b-0a6f2d9b7c41 0000:02:00.0
t $A check --json $PF $VF0
t $D info --json --backend iommufd $VF0
t $A restore
