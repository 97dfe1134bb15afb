package io.splicelab.gateway.readmodel;

import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.List;
import java.util.Optional;

/** A run of an experiment group, with the value of the group's factor it was started with (as JSON). */
@Entity
@Table(name = "gw_group_members")
public class GroupMemberEntity extends RunKeyedRow {
    @Column(nullable = false, length = 64)
    public String groupId;

    /** The position of the run in the group's request. */
    @Column(name = "member_position")
    public int position;

    @Column(length = 2000)
    public String valueJson;

    public static List<GroupMemberEntity> ofGroup(String groupId) {
        return list("groupId", Sort.ascending("position"), groupId);
    }

    public static Optional<GroupMemberEntity> ofRun(String runId) {
        return findByIdOptional(runId);
    }
}
