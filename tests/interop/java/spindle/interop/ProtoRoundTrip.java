package spindle.interop;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.hadoop.thirdparty.protobuf.ByteString;
import org.apache.hadoop.thirdparty.protobuf.Descriptors.Descriptor;
import org.apache.hadoop.thirdparty.protobuf.Descriptors.EnumDescriptor;
import org.apache.hadoop.thirdparty.protobuf.Descriptors.EnumValueDescriptor;
import org.apache.hadoop.thirdparty.protobuf.Descriptors.FieldDescriptor;
import org.apache.hadoop.thirdparty.protobuf.Descriptors.FileDescriptor;
import org.apache.hadoop.thirdparty.protobuf.Descriptors.OneofDescriptor;
import org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException;
import org.apache.hadoop.thirdparty.protobuf.Message;
import org.apache.hadoop.thirdparty.protobuf.UnknownFieldSet;

/**
 * Round-trips protobuf messages between Hadoop's generated classes and another implementation,
 * over a line protocol on stdin/stdout:
 *
 * <pre>
 *   LIST                  → NAMES &lt;full name&gt; ...            (every message Hadoop's jar defines)
 *   ENUMS                 → ENUMS &lt;full name&gt;=&lt;n&gt;,&lt;n&gt;... ...  (every enum and its value numbers)
 *   SCHEMA &lt;name&gt;         → SCHEMA &lt;number&gt;:&lt;type&gt;:&lt;label&gt;:&lt;packed&gt;:&lt;field name&gt; ...
 *   SAMPLE &lt;name&gt;         → SAMPLE &lt;hex&gt;                   (a fully populated sample, serialized)
 *   CHECK &lt;name&gt; &lt;hex&gt;   → OK | DIFF &lt;what differs&gt;        (parse with the real class and compare)
 *   QUIT
 * </pre>
 *
 * Any command may also answer {@code ERR <reason>}. Samples set every field (repeated fields get two
 * elements, nested messages are filled recursively to a bounded depth, enums get a valid non-default
 * value, 64-bit integers exceed 32 bits, bytes are not valid UTF-8), so a field the other side lacks
 * or types differently comes back missing or changed, and shows up as a DIFF.
 */
public final class ProtoRoundTrip {
  /** Optional nested messages are filled down to this depth; required ones always. */
  private static final int MAX_DEPTH = 4;
  /** Hard stop for (pathological) chains of required nested messages. */
  private static final int HARD_DEPTH = 16;

  private static final String[] PACKAGES = {
    "org/apache/hadoop/yarn/proto/", "org/apache/hadoop/ipc/protobuf/", "org/apache/hadoop/security/proto/"
  };

  private final Map<String, Class<?>> classes = new TreeMap<>();
  private final Map<String, Message> samples = new TreeMap<>();
  private final Map<String, String> enums = new TreeMap<>();

  public static void main(String[] args) throws Exception {
    Common.exitAfter(10 * 60 * 1000L);
    ProtoRoundTrip rt = new ProtoRoundTrip();
    rt.load();
    Common.say("READY messages=" + rt.classes.size());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] parts = line.trim().split(" ");
      try {
        switch (parts[0]) {
          case "LIST":
            Common.say("NAMES " + String.join(" ", rt.classes.keySet()));
            break;
          case "ENUMS":
            {
              StringBuilder sb = new StringBuilder("ENUMS");
              for (Map.Entry<String, String> e : rt.enums.entrySet()) {
                sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
              }
              Common.say(sb.toString());
              break;
            }
          case "SCHEMA":
            Common.say("SCHEMA" + rt.schema(parts[1]));
            break;
          case "SAMPLE":
            Common.say("SAMPLE " + Common.hex(rt.sample(parts[1]).toByteArray()));
            break;
          case "CHECK":
            Common.say(rt.check(parts[1], parts.length > 2 ? Common.unhex(parts[2]) : new byte[0]));
            break;
          case "QUIT":
            return;
          default:
            Common.say("ERR unknown command " + parts[0]);
        }
      } catch (Exception e) {
        Common.say("ERR " + String.valueOf(e).replace('\n', ' '));
      }
    }
  }

  /** Finds every generated message class under the proto packages of the jar holding YARN's. */
  private void load() throws Exception {
    File jar =
        new File(
            org.apache.hadoop.yarn.proto.YarnProtos.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    try (JarFile jf = new JarFile(jar)) {
      Enumeration<JarEntry> entries = jf.entries();
      while (entries.hasMoreElements()) {
        String n = entries.nextElement().getName();
        if (!n.endsWith(".class") || n.contains("$")) {
          continue;
        }
        boolean wanted = false;
        for (String p : PACKAGES) {
          if (n.startsWith(p) && n.indexOf('/', p.length()) < 0) {
            wanted = true;
          }
        }
        if (!wanted) {
          continue;
        }
        Class<?> outer;
        Method gd;
        try {
          outer = Class.forName(n.substring(0, n.length() - 6).replace('/', '.'));
          gd = outer.getMethod("getDescriptor");
        } catch (NoSuchMethodException | LinkageError e) {
          // not a generated outer class, or one built against another protobuf than Hadoop's own
          System.err.println("ProtoRoundTrip: skipping " + n + ": " + e);
          continue;
        }
        if (!Modifier.isStatic(gd.getModifiers()) || gd.getReturnType() != FileDescriptor.class) {
          continue;
        }
        FileDescriptor fd = (FileDescriptor) gd.invoke(null);
        for (Descriptor d : fd.getMessageTypes()) {
          register(d, outer, fd.getOptions().getJavaMultipleFiles());
        }
        for (EnumDescriptor e : fd.getEnumTypes()) {
          registerEnum(e);
        }
      }
    }
  }

  private void register(Descriptor d, Class<?> outer, boolean multipleFiles) throws Exception {
    List<String> chain = new ArrayList<>();
    for (Descriptor x = d; x != null; x = x.getContainingType()) {
      chain.add(0, x.getName());
    }
    String binary =
        multipleFiles
            ? outer.getPackage().getName() + "." + String.join("$", chain)
            : outer.getName() + "$" + String.join("$", chain);
    classes.put(d.getFullName(), Class.forName(binary));
    for (Descriptor nested : d.getNestedTypes()) {
      register(nested, outer, multipleFiles);
    }
    for (EnumDescriptor e : d.getEnumTypes()) {
      registerEnum(e);
    }
  }

  private void registerEnum(EnumDescriptor e) {
    StringBuilder numbers = new StringBuilder();
    for (EnumValueDescriptor v : e.getValues()) {
      numbers.append(numbers.length() == 0 ? "" : ",").append(v.getNumber());
    }
    enums.put(e.getFullName(), numbers.toString());
  }

  private Class<?> classOf(String name) {
    Class<?> c = classes.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no message " + name + " in Hadoop's jar");
    }
    return c;
  }

  /** The fields of a message: number, proto type, label, packed (0/1) and name, space-separated. */
  private String schema(String name) throws Exception {
    Descriptor d = (Descriptor) classOf(name).getMethod("getDescriptor").invoke(null);
    StringBuilder sb = new StringBuilder();
    for (FieldDescriptor f : d.getFields()) {
      String label = f.isRepeated() ? "repeated" : f.isRequired() ? "required" : "optional";
      sb.append(' ')
          .append(f.getNumber())
          .append(':')
          .append(f.getType().name().toLowerCase(java.util.Locale.ROOT))
          .append(':')
          .append(label)
          .append(':')
          .append(f.isPacked() ? 1 : 0)
          .append(':')
          .append(f.getName());
    }
    return sb.toString();
  }

  private Message sample(String name) throws Exception {
    Message m = samples.get(name);
    if (m == null) {
      Message.Builder b = (Message.Builder) classOf(name).getMethod("newBuilder").invoke(null);
      fill(b, 0);
      m = b.build();
      samples.put(name, m);
    }
    return m;
  }

  private static void fill(Message.Builder b, int depth) {
    for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
      OneofDescriptor oneof = f.getContainingOneof();
      if (oneof != null && b.hasOneof(oneof)) {
        continue; // one member per oneof
      }
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if ((depth >= MAX_DEPTH && !f.isRequired()) || depth >= HARD_DEPTH) {
          continue;
        }
        int n = f.isRepeated() ? 2 : 1;
        for (int i = 0; i < n; i++) {
          Message.Builder sub = b.newBuilderForField(f);
          fill(sub, depth + 1);
          varyKey(sub, i);
          if (f.isRepeated()) {
            b.addRepeatedField(f, sub.build());
          } else {
            b.setField(f, sub.build());
          }
        }
      } else if (f.isRepeated()) {
        b.addRepeatedField(f, scalar(f, 0));
        b.addRepeatedField(f, scalar(f, 1));
      } else {
        b.setField(f, scalar(f, 0));
      }
    }
  }

  /** Makes the two elements of a repeated message differ (and map-like keys unique). */
  private static void varyKey(Message.Builder sub, int index) {
    if (index == 0) {
      return;
    }
    for (FieldDescriptor f : sub.getDescriptorForType().getFields()) {
      if (!f.isRepeated() && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        sub.setField(f, scalar(f, index));
        return;
      }
    }
  }

  private static Object scalar(FieldDescriptor f, int i) {
    int n = f.getNumber();
    switch (f.getJavaType()) {
      case INT:
        return 100 + 3 * n + i;
      case LONG:
        return (1L << 40) + 1000L * n + i;
      case FLOAT:
        return 0.5f + n + i;
      case DOUBLE:
        return 0.25 + n + i;
      case BOOLEAN:
        // repeated fields have no default: use true, false
        return f.isRepeated() ? i == 0 : !(Boolean) f.getDefaultValue();
      case STRING:
        return f.getName() + "#" + i + "-\u00e9";
      case BYTE_STRING:
        return ByteString.copyFrom(new byte[] {(byte) 0xff, 0, (byte) n, (byte) i, (byte) 0xc3});
      case ENUM:
        {
          List<EnumValueDescriptor> values = f.getEnumType().getValues();
          EnumValueDescriptor def =
              f.isRepeated() ? values.get(0) : (EnumValueDescriptor) f.getDefaultValue();
          List<EnumValueDescriptor> others = new ArrayList<>();
          for (EnumValueDescriptor v : values) {
            if (v.getNumber() != def.getNumber()) {
              others.add(v);
            }
          }
          return others.isEmpty() ? def : others.get((others.size() - 1 - i + others.size()) % others.size());
        }
      default:
        throw new IllegalStateException("unexpected field type " + f.getJavaType());
    }
  }

  private String check(String name, byte[] bytes) throws Exception {
    Message expected = sample(name);
    Message got;
    try {
      got = (Message) classOf(name).getMethod("parseFrom", byte[].class).invoke(null, (Object) bytes);
    } catch (java.lang.reflect.InvocationTargetException e) {
      Throwable c = e.getCause();
      if (c instanceof InvalidProtocolBufferException) {
        Object partial = ((InvalidProtocolBufferException) c).getUnfinishedMessage();
        String missing =
            partial instanceof Message
                ? " missing required: " + ((Message) partial).findInitializationErrors()
                : "";
        return "DIFF Hadoop cannot parse it: " + c.getMessage().replace('\n', ' ') + missing;
      }
      throw e;
    }
    List<String> problems = new ArrayList<>();
    unknown(name, got, problems);
    if (!got.equals(expected)) {
      diff(name, expected, got, problems);
      if (problems.isEmpty()) {
        problems.add("messages differ (no field-level difference found)");
      }
    }
    if (problems.isEmpty()) {
      return "OK";
    }
    List<String> shown = problems.subList(0, Math.min(problems.size(), 12));
    return "DIFF " + String.join("; ", shown) + (problems.size() > 12 ? "; ..." : "");
  }

  private static void unknown(String path, Message m, List<String> out) {
    UnknownFieldSet u = m.getUnknownFields();
    if (!u.asMap().isEmpty()) {
      out.add(path + ": unknown field numbers " + u.asMap().keySet());
    }
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (f.isRepeated()) {
        List<?> l = (List<?>) e.getValue();
        for (int i = 0; i < l.size(); i++) {
          unknown(path + "." + f.getName() + "[" + i + "]", (Message) l.get(i), out);
        }
      } else {
        unknown(path + "." + f.getName(), (Message) e.getValue(), out);
      }
    }
  }

  private static void diff(String path, Message a, Message b, List<String> out) {
    for (FieldDescriptor f : a.getDescriptorForType().getFields()) {
      String p = path + "." + f.getName() + "(#" + f.getNumber() + ")";
      if (f.isRepeated()) {
        int na = a.getRepeatedFieldCount(f);
        int nb = b.getRepeatedFieldCount(f);
        if (na != nb) {
          out.add(p + ": expected " + na + " elements, got " + nb);
          continue;
        }
        for (int i = 0; i < na; i++) {
          same(p + "[" + i + "]", f, a.getRepeatedField(f, i), b.getRepeatedField(f, i), out);
        }
      } else {
        boolean ha = a.hasField(f);
        boolean hb = b.hasField(f);
        if (ha != hb) {
          out.add(p + (ha ? ": missing (dropped)" : ": present but not sent"));
        } else if (ha) {
          same(p, f, a.getField(f), b.getField(f), out);
        }
      }
    }
  }

  private static void same(String p, FieldDescriptor f, Object x, Object y, List<String> out) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      diff(p, (Message) x, (Message) y, out);
    } else if (!x.equals(y)) {
      out.add(p + ": expected " + show(x) + ", got " + show(y));
    }
  }

  private static String show(Object v) {
    if (v instanceof ByteString) {
      return "0x" + Common.hex(((ByteString) v).toByteArray());
    }
    return String.valueOf(v).replace(' ', '_');
  }
}
