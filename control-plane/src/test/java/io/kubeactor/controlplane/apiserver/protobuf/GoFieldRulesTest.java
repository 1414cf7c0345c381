package io.kubeactor.controlplane.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoFieldRulesTest {

  /** Every field the rules name exists in the schema, so a typo cannot silently turn a rule off. */
  @Test
  void everyNamedFieldIsInTheSchema() {
    Map<String, FieldDescriptor> fields = new HashMap<>();
    for (FileDescriptor file : KindSchemas.FILES) {
      for (Descriptor message : file.getMessageTypes()) {
        message.getFields().forEach(field -> fields.put(field.getFullName(), field));
      }
    }

    assertThat(GoFieldRules.namedFields()).allSatisfy(name -> assertThat(fields).containsKey(name));
  }

  @Test
  void zeroKeepingFieldsAreScalars() {
    for (FileDescriptor file : KindSchemas.FILES) {
      for (Descriptor message : file.getMessageTypes()) {
        for (FieldDescriptor field : message.getFields()) {
          if (GoFieldRules.keepsZero(field)) {
            assertThat(field.isRepeated() || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE)
                .as(field.getFullName()).isFalse();
          }
        }
      }
    }
  }

  @Test
  void pointersAndFieldsWithoutOmitemptyKeepTheirZero() {
    assertThat(GoFieldRules.keepsZero(field(V1Apps.DeploymentSpec.getDescriptor(), "replicas"))).isTrue();
    assertThat(GoFieldRules.keepsZero(field(V1.ContainerPort.getDescriptor(), "containerPort"))).isTrue();
    assertThat(GoFieldRules.keepsZero(field(V1Apps.DeploymentSpec.getDescriptor(), "minReadySeconds"))).isFalse();
    assertThat(GoFieldRules.keepsZero(field(V1.Container.getDescriptor(), "image"))).isFalse();
  }

  @Test
  void inlinedFieldsAreMessages() {
    assertThat(GoFieldRules.isInlined(field(V1.Probe.getDescriptor(), "handler"))).isTrue();
    assertThat(GoFieldRules.isInlined(field(V1.Volume.getDescriptor(), "volumeSource"))).isTrue();
    assertThat(GoFieldRules.isInlined(field(V1.Container.getDescriptor(), "resources"))).isFalse();
  }

  private static FieldDescriptor field(Descriptor message, String name) {
    return message.findFieldByName(name);
  }
}
