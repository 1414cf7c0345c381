package io.kubeactor.controlplane.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kubeactor.common.Json;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Bodies captured from the real kubectl 1.32 (base64 below), each decoded to exactly the JSON that
 * {@code kubectl ... --dry-run=client -o json} prints for the same command: client-go writes every
 * non-pointer field even when zero, and Kubernetes' JSON leaves most of those out.
 */
class KubectlProtobufBodiesTest {

  @Test
  void namespace() {
    // kubectl create namespace demo
    assertDecodes("""
        azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhwKFAoEZGVtbxIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA==
        """, """
        {
          "kind": "Namespace",
          "apiVersion": "v1",
          "metadata": {
            "name": "demo",
            "creationTimestamp": null
          },
          "spec": {},
          "status": {}
        }
        """);
  }

  @Test
  void configMapWithBinaryData() {
    // kubectl create configmap cfg --from-literal=a=1 --from-literal=empty= --from-file=bin=bin.dat
    // (bin.dat holds the bytes "bin\0\1\xff")
    assertDecodes("""
        azhzAAoPCgJ2MRIJQ29uZmlnTWFwEjcKEwoDY2ZnEgAaACIAKgAyADgAQgASBgoBYRIBMRIJCgVlbXB0eRIAGg0KA2JpbhIG
        YmluAAH/GgAiAA==
        """, """
        {
          "kind": "ConfigMap",
          "apiVersion": "v1",
          "metadata": {
            "name": "cfg",
            "creationTimestamp": null
          },
          "data": {
            "a": "1",
            "empty": ""
          },
          "binaryData": {
            "bin": "YmluAAH/"
          }
        }
        """);
  }

  @Test
  void secret() {
    // kubectl create secret generic sec --from-literal=password=s3cr3t --type=Opaque
    assertDecodes("""
        azhzAAoMCgJ2MRIGU2VjcmV0EjEKEwoDc2VjEgAaACIAKgAyADgAQgASEgoIcGFzc3dvcmQSBnMzY3IzdBoGT3BhcXVlGgAi
        AA==
        """, """
        {
          "kind": "Secret",
          "apiVersion": "v1",
          "metadata": {
            "name": "sec",
            "creationTimestamp": null
          },
          "data": {
            "password": "czNjcjN0"
          },
          "type": "Opaque"
        }
        """);
  }

  @Test
  void deploymentWithZeroReplicas() {
    // kubectl create deployment web --image=nginx:1.27 --replicas=0 --port=80
    assertDecodes("""
        azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er0BCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEosBCAASDAoK
        CgNhcHASA3dlYhpxChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViElESMwoFbmdpbngSCm5naW54OjEuMjcqADIKCgAQ
        ABhQIgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAo
        ADgAGgAiAA==
        """, """
        {
          "kind": "Deployment",
          "apiVersion": "apps/v1",
          "metadata": {
            "name": "web",
            "creationTimestamp": null,
            "labels": {
              "app": "web"
            }
          },
          "spec": {
            "replicas": 0,
            "selector": {
              "matchLabels": {
                "app": "web"
              }
            },
            "template": {
              "metadata": {
                "creationTimestamp": null,
                "labels": {
                  "app": "web"
                }
              },
              "spec": {
                "containers": [
                  {
                    "name": "nginx",
                    "image": "nginx:1.27",
                    "ports": [
                      {
                        "containerPort": 80
                      }
                    ],
                    "resources": {}
                  }
                ]
              }
            },
            "strategy": {}
          },
          "status": {}
        }
        """);
  }

  @Test
  void cronJob() {
    // kubectl create cronjob tick --image=busybox --schedule='*/5 * * * *' -- date
    assertDecodes("""
        azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKqAQoUCgR0aWNrEgAaACIAKgAyADgAQgASjwEKCyovNSAqICogKiAqGgAqfgoU
        CgR0aWNrEgAaACIAKgAyADgAQgASZjJkChAKABIAGgAiACoAMgA4AEIAElASKQoEdGljaxIHYnVzeWJveBoEZGF0ZSoAQgBq
        AHIAgAEAiAEAkAEAogEAGglPbkZhaWx1cmUyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoAGgAiAA==
        """, """
        {
          "kind": "CronJob",
          "apiVersion": "batch/v1",
          "metadata": {
            "name": "tick",
            "creationTimestamp": null
          },
          "spec": {
            "schedule": "*/5 * * * *",
            "jobTemplate": {
              "metadata": {
                "name": "tick",
                "creationTimestamp": null
              },
              "spec": {
                "template": {
                  "metadata": {
                    "creationTimestamp": null
                  },
                  "spec": {
                    "containers": [
                      {
                        "name": "tick",
                        "image": "busybox",
                        "command": [
                          "date"
                        ],
                        "resources": {}
                      }
                    ],
                    "restartPolicy": "OnFailure"
                  }
                }
              }
            }
          },
          "status": {}
        }
        """);
  }

  @Test
  void serviceAccount() {
    // kubectl create serviceaccount robot
    assertDecodes("""
        azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFwoVCgVyb2JvdBIAGgAiACoAMgA4AEIAGgAiAA==
        """, """
        {
          "kind": "ServiceAccount",
          "apiVersion": "v1",
          "metadata": {
            "name": "robot",
            "creationTimestamp": null
          }
        }
        """);
  }

  @Test
  void serviceWithIntOrStringTargetPort() {
    // kubectl create service clusterip svc --tcp=80:8080
    assertDecodes("""
        azhzAAoNCgJ2MRIHU2VydmljZRJpCh8KA3N2YxIAGgAiACoAMgA4AEIAWgoKA2FwcBIDc3ZjEkIKGwoHODAtODA4MBIDVENQ
        GFAiBwgAEJA/GgAoABIKCgNhcHASA3N2YxoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==
        """, """
        {
          "kind": "Service",
          "apiVersion": "v1",
          "metadata": {
            "name": "svc",
            "creationTimestamp": null,
            "labels": {
              "app": "svc"
            }
          },
          "spec": {
            "ports": [
              {
                "name": "80-8080",
                "protocol": "TCP",
                "port": 80,
                "targetPort": 8080
              }
            ],
            "selector": {
              "app": "svc"
            },
            "type": "ClusterIP"
          },
          "status": {
            "loadBalancer": {}
          }
        }
        """);
  }

  @Test
  void resourceQuotaWithQuantities() {
    // kubectl create quota q --hard=cpu=1,memory=1Gi,pods=10
    assertDecodes("""
        azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJCChEKAXESABoAIgAqADIAOABCABIrCgoKA2NwdRIDCgExCg8KBm1lbW9yeRIF
        CgMxR2kKDAoEcG9kcxIECgIxMBoAGgAiAA==
        """, """
        {
          "kind": "ResourceQuota",
          "apiVersion": "v1",
          "metadata": {
            "name": "q",
            "creationTimestamp": null
          },
          "spec": {
            "hard": {
              "cpu": "1",
              "memory": "1Gi",
              "pods": "10"
            }
          },
          "status": {}
        }
        """);
  }

  @Test
  void role() {
    // kubectl create role r --verb=get,list --resource=pods
    assertDecodes("""
        azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEigKEQoBchIAGgAiACoAMgA4AEIAEhMKA2dldAoE
        bGlzdBIAGgRwb2RzGgAiAA==
        """, """
        {
          "kind": "Role",
          "apiVersion": "rbac.authorization.k8s.io/v1",
          "metadata": {
            "name": "r",
            "creationTimestamp": null
          },
          "rules": [
            {
              "verbs": [
                "get",
                "list"
              ],
              "apiGroups": [
                ""
              ],
              "resources": [
                "pods"
              ]
            }
          ]
        }
        """);
  }

  @Test
  void podDisruptionBudgetWithRequiredZeroStatus() {
    // kubectl create pdb p --selector=app=web --min-available=1
    assertDecodes("""
        azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSNwoRCgFwEgAaACIAKgAyADgAQgASFgoGCAAQARoAEgwK
        CgoDYXBwEgN3ZWIaCggAGAAgACgAMAAaACIA
        """, """
        {
          "kind": "PodDisruptionBudget",
          "apiVersion": "policy/v1",
          "metadata": {
            "name": "p",
            "creationTimestamp": null
          },
          "spec": {
            "minAvailable": 1,
            "selector": {
              "matchLabels": {
                "app": "web"
              }
            }
          },
          "status": {
            "disruptionsAllowed": 0,
            "currentHealthy": 0,
            "desiredHealthy": 0,
            "expectedPods": 0
          }
        }
        """);
  }

  @Test
  void ingressWithInlinedRuleValue() {
    // kubectl create ingress ing --rule='foo.com/bar=svc1:8080'
    assertDecodes("""
        azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxJKChMKA2luZxIAGgAiACoAMgA4AEIAEi8aLQoHZm9vLmNv
        bRIiCiAKHgoEL2JhchIPIg0KBHN2YzESBQoAEJA/GgVFeGFjdBoCCgAaACIA
        """, """
        {
          "kind": "Ingress",
          "apiVersion": "networking.k8s.io/v1",
          "metadata": {
            "name": "ing",
            "creationTimestamp": null
          },
          "spec": {
            "rules": [
              {
                "host": "foo.com",
                "http": {
                  "paths": [
                    {
                      "path": "/bar",
                      "pathType": "Exact",
                      "backend": {
                        "service": {
                          "name": "svc1",
                          "port": {
                            "number": 8080
                          }
                        }
                      }
                    }
                  ]
                }
              }
            ]
          },
          "status": {
            "loadBalancer": {}
          }
        }
        """);
  }

  private static void assertDecodes(String base64Body, String kubernetesJson) {
    byte[] body = Base64.getMimeDecoder().decode(base64Body);
    try {
      assertThat(ProtobufBodies.decode(body)).isEqualTo(Json.MAPPER.readTree(kubernetesJson));
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
