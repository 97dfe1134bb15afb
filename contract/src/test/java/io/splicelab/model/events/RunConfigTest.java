package io.splicelab.model.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunConfigTest {
    static RunConfig parse(String json) throws Exception {
        return EventCodec.mapper().readValue(json, RunConfig.class);
    }

    static List<String> fields(RunConfig config) {
        return config.withDefaults().validate().stream().map(RunConfig.FieldError::field).toList();
    }

    @Test
    void firstVersionJsonStillReadsWithTheOldDefaults() throws Exception {
        RunConfig config = parse("{\"architecture\":\"resnet20\",\"steps\":100,\"checkpointInterval\":25,"
                + "\"seed\":7}").withDefaults();
        assertEquals("sgd", config.optimizer());
        assertEquals(5e-4, config.weightDecay());
        assertEquals("none", config.augmentation(), "synthetic data keeps training without augmentation");
        assertEquals(4000, config.trainSize());
        assertEquals(List.of(0, 25, 50, 75, 100), config.checkpointSteps());
        assertEquals("resnet20", config.networkArchitecture());
        assertTrue(config.validate().isEmpty(), config.validate().toString());
        assertEquals(config, parse(EventCodec.toJson(config)), "round trip");
        assertEquals(config, config.withDefaults(), "defaults are idempotent");
    }

    @Test
    void epochsGiveStepsAndDatasetsGiveAugmentation() throws Exception {
        RunConfig config = parse("{\"dataset\":\"fashion-mnist\",\"epochs\":2,\"batchSize\":128}").withDefaults();
        assertEquals(60_000, config.trainSize());
        assertEquals(2 * 468, config.steps());
        assertEquals("flip", config.augmentation());
        assertTrue(config.validate().isEmpty(), config.validate().toString());
        assertEquals(List.of("epochs"), fields(parse("{\"epochs\":2,\"steps\":5}")));
        assertEquals("crop+flip", parse("{\"dataset\":\"cifar10\"}").withDefaults().augmentation());
    }

    @Test
    void checkpointSchedulesCombine() throws Exception {
        RunConfig config = parse("{\"steps\":100,\"checkpointInterval\":50,\"trainSize\":400,\"batchSize\":10,"
                + "\"checkpointEveryEpoch\":true,\"logCheckpoints\":4}").withDefaults();
        // epochs of 40 steps; log-spaced 1, 50^(1/4)=3, 50^(1/2)=7, 50^(3/4)=19
        assertEquals(List.of(0, 1, 3, 7, 19, 40, 50, 80, 100), config.checkpointSteps());
    }

    @Test
    void everyNewFieldIsValidated() throws Exception {
        assertEquals(List.of("optimizer"), fields(parse("{\"optimizer\":\"rmsprop\"}")));
        assertEquals(List.of("nesterov"), fields(parse("{\"optimizer\":\"adam\",\"nesterov\":true}")));
        assertEquals(List.of("lrMilestones"), fields(parse("{\"lrSchedule\":\"step\"}")));
        assertEquals(List.of("labelNoise"), fields(parse("{\"labelNoise\":1.5}")));
        assertEquals(List.of("freezeCut"), fields(parse("{\"freezeCut\":\"nowhere\"}")));
        assertTrue(fields(parse("{\"freezeCut\":\"stage1\",\"freezeStep\":10}")).isEmpty());
        assertEquals(List.of("freezeStep"), fields(parse("{\"freezeStep\":10}")));
        assertEquals(List.of("noiseSteps"), fields(parse("{\"noiseSteps\":[7]}")));
        assertTrue(fields(parse("{\"noiseSteps\":[0,50],\"noiseProjectionDim\":128}")).isEmpty());
        assertEquals(List.of("device"), fields(parse("{\"device\":\"tpu\"}")));
        assertEquals(List.of("shortcut"), fields(parse("{\"architecture\":\"mlp\",\"shortcut\":\"B\"}")));
        assertEquals("resnet32-b", parse("{\"architecture\":\"resnet32\",\"shortcut\":\"B\"}").withDefaults()
                .networkArchitecture());
        assertEquals(List.of("trainSize"), fields(parse("{\"dataset\":\"mnist\",\"trainSize\":70000}")));
        assertEquals(List.of("augmentation"), fields(parse("{\"augmentation\":\"rotate\"}")));
        assertTrue(fields(parse("{\"architecture\":\"cnn\",\"dataset\":\"mnist\",\"freezeCut\":\"conv2\"}")).isEmpty());
    }

    @Test
    void theCheckpointCountIsTheScheduleSizeWithoutEnumeratingIt() throws Exception {
        for (int steps : new int[] {1, 2, 7, 40, 99, 100, 101, 399, 1000}) {
            for (int interval : new int[] {1, 3, 25, 50, 100, 2000}) {
                for (int train : new int[] {30, 400, 1000}) {
                    for (int log : new int[] {0, 4, 50}) {
                        for (boolean epochs : new boolean[] {false, true}) {
                            RunConfig config = parse("{\"steps\":" + steps + ",\"checkpointInterval\":" + interval
                                    + ",\"trainSize\":" + train + ",\"batchSize\":10,\"checkpointEveryEpoch\":"
                                    + epochs + ",\"logCheckpoints\":" + log + "}").withDefaults();
                            List<Integer> enumerated = config.checkpointSteps();
                            String what = config.steps() + "/" + interval + "/" + train + "/" + log + "/" + epochs;
                            assertEquals(enumerated.size(), config.checkpointCount(), what);
                            for (int s = -1; s <= steps + 1; s++) {
                                assertEquals(enumerated.contains(s), config.isCheckpointStep(s), what + " at " + s);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void hugeSchedulesAreRefusedNamingTheFieldWithoutBeingWalked() throws Exception {
        // before: the validation enumerated 43 million checkpoint steps for the first and ran out of memory
        assertEquals(List.of("steps"), fields(parse("{\"steps\":2147483647}")));
        assertEquals(List.of("checkpointInterval"), fields(parse("{\"steps\":10000000,\"checkpointInterval\":1}")));
        assertEquals(List.of("steps"), fields(parse("{\"steps\":2147483647,\"checkpointInterval\":1}")));
        assertEquals(List.of("checkpointEveryEpoch"), fields(parse("{\"steps\":10000000,\"checkpointInterval\":"
                + "100000,\"trainSize\":1000,\"batchSize\":100,\"checkpointEveryEpoch\":true}")));
        assertEquals(List.of("logCheckpoints"), fields(parse("{\"logCheckpoints\":2147483647}")));
        assertEquals(List.of("steps", "epochs"), fields(parse("{\"epochs\":2147483647}")));
        RunConfig last = parse("{\"steps\":10000000,\"checkpointInterval\":50000}").withDefaults();
        assertEquals(201, last.checkpointCount());
        assertTrue(last.isCheckpointStep(10_000_000));
        assertTrue(last.validate().isEmpty(), last.validate().toString());
    }

    @Test
    void everySizeHasAnUpperBound() throws Exception {
        assertEquals(List.of("steps"), fields(parse("{\"steps\":10000001}")));
        assertTrue(fields(parse("{\"steps\":10000000,\"checkpointInterval\":100000}")).isEmpty());
        assertEquals(List.of("batchSize"), fields(parse("{\"batchSize\":4097}")));
        assertEquals(List.of("evalSize"), fields(parse("{\"evalSize\":100001}")));
        assertEquals(List.of("trainSize"), fields(parse("{\"trainSize\":1000001}")));
        assertEquals(List.of("trainSize"), fields(parse("{\"dataset\":\"cifar10\",\"trainSize\":50001}")));
        assertEquals(List.of("widthMultiplier"), fields(parse("{\"widthMultiplier\":8.5}")));
        assertEquals(List.of("noiseMinibatches"), fields(parse("{\"noiseMinibatches\":4097}")));
        assertEquals(List.of("noiseProjectionDim"), fields(parse("{\"noiseProjectionDim\":65537}")));
        assertEquals(List.of("noiseProjectionDim"), fields(parse("{\"noiseSteps\":[0],\"noiseMinibatches\":4096,"
                + "\"noiseProjectionDim\":65536}")));
        assertTrue(fields(parse("{\"noiseSteps\":[0],\"noiseMinibatches\":1024,\"noiseProjectionDim\":65536}"))
                .isEmpty());
        assertEquals(List.of("logCheckpoints"), fields(parse("{\"logCheckpoints\":51}")));
        assertEquals(List.of("learningRate"), fields(parse("{\"learningRate\":11}")));
        String many = java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(","));
        assertEquals(List.of("lrMilestones"), fields(parse("{\"lrSchedule\":\"step\",\"lrMilestones\":[" + many
                + "]}")));
        String zeros = String.join(",", java.util.Collections.nCopies(401, "0"));
        assertEquals(List.of("noiseSteps"), fields(parse("{\"noiseSteps\":[" + zeros + "]}")));
    }

    static String message(RunConfig config, String field) {
        return config.withDefaults().validate().stream().filter(e -> e.field().equals(field))
                .map(RunConfig.FieldError::message).findFirst().orElse(null);
    }

    @Test
    void theBeanValidationRulesKeepTheirMessagesAndNameTheField() throws Exception {
        assertEquals("must be between 1 and 10000000", message(parse("{\"steps\":0}"), "steps"));
        assertEquals("must be one of [cnn, mlp, resnet20, resnet32, resnet56]",
                message(parse("{\"architecture\":\"vgg\"}"), "architecture"));
        assertEquals("must be auto or one of [crop, crop+flip, flip, none]",
                message(parse("{\"augmentation\":\"rotate\"}"), "augmentation"));
        String many = java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(","));
        assertEquals("must list at most 100 steps", message(parse("{\"lrMilestones\":[" + many + "]}"),
                "lrMilestones"));
        assertEquals("must be steps between 1 and steps", message(parse("{\"lrMilestones\":[0]}"), "lrMilestones"));
        assertEquals("the step schedule needs at least one milestone",
                message(parse("{\"lrSchedule\":\"step\"}"), "lrMilestones"));
        assertEquals("gives more than 200 checkpoints; raise it",
                message(parse("{\"steps\":10000000,\"checkpointInterval\":1}"), "checkpointInterval"));
        assertEquals("needs a freezeCut", message(parse("{\"freezeStep\":-1}"), "freezeStep"));
    }

    @Test
    void notANumberIsOutOfEveryRange() throws Exception {
        RunConfig base = parse("{}").withDefaults();
        RunConfig nan = new RunConfig(base.architecture(), Double.NaN, base.dataset(), base.steps(), base.batchSize(),
                Double.NaN, Double.NaN, base.checkpointInterval(), base.seed(), base.trainSize(), base.evalSize())
                .withDefaults();
        assertEquals(List.of("widthMultiplier", "learningRate", "momentum"),
                nan.validate().stream().map(RunConfig.FieldError::field).toList());
    }

    @Test
    void aConfigWithoutDefaultsNamesWhatIsMissingInsteadOfFailing() {
        RunConfig empty = new RunConfig(null, null, null, null, null, null, null, null, null, null, null);
        List<RunConfig.FieldError> errors = empty.validate();
        assertTrue(errors.stream().anyMatch(e -> e.field().equals("steps") && e.message().equals("is required")),
                errors.toString());
        assertEquals(errors.stream().map(RunConfig.FieldError::field).distinct().toList(),
                errors.stream().map(RunConfig.FieldError::field).toList(), "one problem a field");
    }

    @Test
    void theEvaluationSubsetIsStratifiedWhenAbsentSoEarlierConfigurationsKeepTheirImages() throws Exception {
        RunConfig before = parse("{\"steps\":100,\"checkpointInterval\":25,\"evalSize\":300}").withDefaults();
        assertEquals("stratified", before.evalSubset());
        assertEquals(null, before.evalIndices());
        assertEquals(300, before.evalSize());
        assertEquals(io.splicelab.model.values.EvalSubset.STRATIFIED, before.evalSubsetValue());
        assertEquals(io.splicelab.model.values.EvalSubset.STRATIFIED,
                parse("{}").evalSubsetValue(), "also before defaults");
        // a configuration written before the fields existed (a recorded event) reads the same
        RunConfig old = new RunConfig("resnet20", null, null, 100, null, null, null, 25, null, null, 300, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null).withDefaults();
        assertEquals(before, old);
        assertEquals(before, before.withDefaults(), "defaults are idempotent");
        assertEquals(before, parse(EventCodec.toJson(before)), "round trip");
    }

    @Test
    void firstAndListedIndicesAreValidAndIndicesAloneChooseTheIndicesSubset() throws Exception {
        RunConfig first = parse("{\"evalSubset\":\"first\",\"evalSize\":200}").withDefaults();
        assertTrue(first.validate().isEmpty(), first.validate().toString());
        assertEquals(io.splicelab.model.values.EvalSubset.FIRST, first.evalSubsetValue());

        RunConfig listed = parse("{\"evalIndices\":[1999,0,5,6,7,8,9,10,11,12]}").withDefaults();
        assertTrue(listed.validate().isEmpty(), listed.validate().toString());
        assertEquals("indices", listed.evalSubset());
        assertEquals(10, listed.evalSize(), "evalSize is the number of indices");
        assertEquals(List.of(1999, 0, 5, 6, 7, 8, 9, 10, 11, 12), listed.evalIndices(), "in the order given");
        assertEquals(listed, listed.withDefaults());
        assertEquals(listed, parse(EventCodec.toJson(listed)), "round trip");
        assertTrue(fields(parse("{\"evalSubset\":\"indices\",\"evalSize\":10,\"evalIndices\":"
                + "[0,1,2,3,4,5,6,7,8,9]}")).isEmpty());
        // an empty list is no list
        assertEquals("stratified", parse("{\"evalIndices\":[]}").withDefaults().evalSubset());
    }

    @Test
    void aBadEvaluationSubsetNamesItsField() throws Exception {
        String ten = "0,1,2,3,4,5,6,7,8,9";
        assertEquals("must be one of [first, indices, stratified]", message(parse("{\"evalSubset\":\"last\"}"),
                "evalSubset"));
        assertEquals("is required for evalSubset indices", message(parse("{\"evalSubset\":\"indices\"}"),
                "evalIndices"));
        assertEquals("are only read with evalSubset indices", message(parse("{\"evalSubset\":\"first\","
                + "\"evalIndices\":[" + ten + "]}"), "evalIndices"));
        // the synthetic test split has 2000 images, cifar10's 10000
        assertEquals("must be indices into the dataset's test split (0 to its size - 1)",
                message(parse("{\"evalIndices\":[" + ten + ",2000]}"), "evalIndices"));
        assertTrue(fields(parse("{\"dataset\":\"cifar10\",\"evalIndices\":[" + ten + ",9999]}")).isEmpty());
        assertEquals(List.of("evalIndices"), fields(parse("{\"evalIndices\":[" + ten + ",-1]}")));
        assertEquals(List.of("evalIndices"), fields(parse("{\"evalIndices\":[" + ten + ",null]}")));
        assertEquals("must be distinct", message(parse("{\"evalIndices\":[" + ten + ",3]}"), "evalIndices"));
        assertEquals("must list between 10 and 26032 indices", message(parse("{\"evalIndices\":[1,2,3]}"),
                "evalIndices"));
        assertEquals("must be the number of evalIndices (or be left out) for evalSubset indices",
                message(parse("{\"evalSize\":20,\"evalIndices\":[" + ten + "]}"), "evalSize"));
    }

    @Test
    void aHugeIndexListIsRefusedByItsLengthBeforeItIsWalked() throws Exception {
        // 100000 zeros: out of the split and repeated, but only the length is reported (the rules that walk the list
        // hold for a list over the bound)
        String zeros = String.join(",", java.util.Collections.nCopies(100_000, "0"));
        RunConfig huge = parse("{\"evalIndices\":[" + zeros + "],\"evalSize\":100000}");
        assertEquals(List.of(new RunConfig.FieldError("evalIndices", "must list between 10 and 26032 indices")),
                huge.withDefaults().validate());
        assertEquals(RunConfig.MAX_EVAL_INDICES, io.splicelab.model.data.DatasetInfo.KNOWN.values().stream()
                .mapToInt(io.splicelab.model.data.DatasetInfo::testSize).max().orElseThrow(),
                "every image of the largest test split can be listed");
    }

    @Test
    void theRulesAreNotPartOfTheWireFormat() throws Exception {
        com.fasterxml.jackson.databind.JsonNode json = EventCodec.mapper().readTree(EventCodec.toJson(
                parse("{}").withDefaults()));
        List<String> keys = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        List<String> components = java.util.Arrays.stream(RunConfig.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList();
        assertTrue(components.containsAll(keys), keys.toString());
    }

    @Test
    void theDefaultPlanEvaluatesTrainTestAndThreeCorruptionsInModeCarryAtTheArchitecturesCuts() throws Exception {
        RunConfig config = parse("{}").withDefaults();
        assertEquals(List.of("test", "train", "gaussian_noise-3", "fog-3", "contrast-3"), config.evalSets());
        assertEquals(List.of("carry"), config.bnModes());
        assertEquals(List.of("stem", "stage1", "stage2"), config.cuts());
        assertTrue(config.validate().isEmpty(), config.validate().toString());
        assertEquals(config, parse(EventCodec.toJson(config)), "round trip");
        assertEquals(config, config.withDefaults(), "defaults are idempotent");
        // a label-noise run also reads the labels it fitted
        RunConfig noisy = parse("{\"labelNoise\":1}").withDefaults();
        assertEquals(List.of("test", "train", "train-noisy", "gaussian_noise-3", "fog-3", "contrast-3"),
                noisy.evalSets());
        assertTrue(noisy.validate().isEmpty(), noisy.validate().toString());
        // the small networks' cuts; a ResNet with option B shortcuts keeps the stage cuts
        assertEquals(List.of("conv1", "conv2", "fc1"), parse("{\"architecture\":\"cnn\"}").withDefaults().cuts());
        assertEquals(List.of("fc1", "fc2"), parse("{\"architecture\":\"mlp\"}").withDefaults().cuts());
        assertEquals(List.of("stem", "stage1", "stage2"),
                parse("{\"architecture\":\"resnet56\",\"shortcut\":\"B\"}").withDefaults().cuts());
        // every default corruption is computed for the 28x28 grayscale datasets too
        for (String dataset : List.of("fashion-mnist", "mnist", "cifar100", "svhn")) {
            RunConfig c = parse("{\"dataset\":\"" + dataset + "\"}").withDefaults();
            assertTrue(c.validate().isEmpty(), dataset + " " + c.validate());
            for (String set : EvalPlan.DEFAULT_CORRUPTIONS) {
                assertTrue(io.splicelab.model.values.EvalSet.COMPUTED_CORRUPTIONS.contains(
                        io.splicelab.model.values.EvalSet.parse(set).corruption()), set);
            }
        }
    }

    @Test
    void aGivenPlanIsKeptAndALabelNoiseRunsTrainBringsTrainNoisy() throws Exception {
        RunConfig pinned = parse("{\"evalSets\":[\"test\"],\"bnModes\":[\"recalibrate\",\"carry\"],"
                + "\"cuts\":[\"s2b1\",\"stem\"]}").withDefaults();
        assertEquals(List.of("test"), pinned.evalSets());
        assertEquals(List.of("recalibrate", "carry"), pinned.bnModes());
        assertEquals(List.of("s2b1", "stem"), pinned.cuts());
        assertTrue(pinned.validate().isEmpty(), pinned.validate().toString());
        assertEquals(List.of("train", "train-noisy", "fog-1"), parse("{\"labelNoise\":0.2,\"evalSets\":"
                + "[\"train\",\"fog-1\"]}").withDefaults().evalSets());
        assertEquals(List.of("train-noisy", "train"), parse("{\"labelNoise\":0.2,\"evalSets\":"
                + "[\"train-noisy\",\"train\"]}").withDefaults().evalSets(), "listed: kept as listed");
    }

    @Test
    void everyPlanProblemNamesItsFieldAndTheValue() throws Exception {
        assertEquals("unknown evaluation set 'validation'; known: test, train, train-noisy, <corruption>-<severity>",
                message(parse("{\"evalSets\":[\"test\",\"validation\"]}"), "evalSets"));
        assertTrue(message(parse("{\"evalSets\":[\"fog-6\"]}"), "evalSets").contains("severity must be 1..5"));
        assertTrue(message(parse("{\"evalSets\":[\"haze-3\"]}"), "evalSets").startsWith("unknown corruption haze"));
        assertEquals("lists 'test' twice", message(parse("{\"evalSets\":[\"test\",\"fog-3\",\"test\"]}"),
                "evalSets"));
        assertEquals("must list between 1 and 128 names", message(parse("{\"evalSets\":[]}"), "evalSets"));
        assertEquals("must not list an empty name", message(parse("{\"evalSets\":[\"test\",\"\"]}"),
                "evalSets"));
        assertEquals("must not list an empty name", message(parse("{\"labelNoise\":0.5,\"evalSets\":[\"train\","
                + "null]}"), "evalSets"));
        assertEquals("must not list an empty name", message(parse("{\"cuts\":[null]}"), "cuts"));
        assertEquals("train-noisy needs labelNoise > 0 (without label noise it is train)",
                message(parse("{\"evalSets\":[\"train-noisy\"]}"), "evalSets"));
        assertEquals("frost-2 exists only in the CIFAR-10-C files, for cifar10",
                message(parse("{\"dataset\":\"mnist\",\"evalSets\":[\"frost-2\"]}"), "evalSets"));
        assertTrue(fields(parse("{\"dataset\":\"cifar10\",\"evalSets\":[\"frost-2\"]}")).isEmpty());

        assertTrue(message(parse("{\"bnModes\":[\"sometimes\"]}"), "bnModes").contains("sometimes"));
        assertEquals("lists 'carry' twice", message(parse("{\"bnModes\":[\"carry\",\"carry\"]}"), "bnModes"));
        assertEquals("must list between 1 and 128 names", message(parse("{\"bnModes\":[]}"), "bnModes"));

        assertEquals("'conv1' is not a cut of resnet20; its cuts: " + Architectures.cuts("resnet20"),
                message(parse("{\"cuts\":[\"stem\",\"conv1\"]}"), "cuts"));
        assertEquals("'s3b5' is not a cut of resnet20-b; its cuts: " + Architectures.cuts("resnet20-b"),
                message(parse("{\"shortcut\":\"B\",\"cuts\":[\"s3b5\"]}"), "cuts"));
        assertTrue(fields(parse("{\"architecture\":\"resnet32\",\"cuts\":[\"s3b5\"]}")).isEmpty());
        assertEquals("lists 'fc1' twice", message(parse("{\"architecture\":\"mlp\",\"cuts\":[\"fc1\","
                + "\"fc1\"]}"), "cuts"));
        assertEquals("must list between 1 and 128 names", message(parse("{\"cuts\":[]}"), "cuts"));
        // one problem a field, in the order of the fields, beside the other fields' problems
        assertEquals(List.of("optimizer", "evalSets", "bnModes", "cuts"), fields(parse("{\"optimizer\":\"x\","
                + "\"evalSets\":[\"x\"],\"bnModes\":[\"x\"],\"cuts\":[\"x\"]}")));
    }

    @Test
    void theEarlierConstructorsAndEventsHaveNoPlanUntilDefaults() throws Exception {
        RunConfig old = parse("{\"steps\":100,\"checkpointInterval\":25}");
        assertEquals(new EvalPlan(null, null, null), old.evalPlan(), "an old event: the splicer's settings apply");
        assertEquals(new EvalPlan(List.of("test"), List.of("carry"), List.of("stem")),
                old.evalPlan().orElse(new EvalPlan(List.of("test"), List.of("carry"), List.of("stem"))));
        RunConfig first = new RunConfig("resnet20", null, null, 100, null, null, null, 25, null, null, 300);
        assertEquals(null, first.evalSets());
        assertEquals(List.of("carry"), first.withDefaults().bnModes());
        RunConfig plan = first.withEvalPlan(new EvalPlan(List.of("fog-3"), List.of("carry"), List.of("stage2")));
        assertEquals(List.of("fog-3"), plan.withDefaults().evalSets());
        assertEquals(List.of("stage2"), plan.withEvalSubset("first", null).cuts(), "the subset keeps the plan");
        assertTrue(!EventCodec.toJson(old).contains("evalSets"), "an absent plan stays absent");
        assertEquals(List.of("test", "fog-3", ""), EvalPlan.split(" test, fog-3 ,"));
        assertEquals(null, EvalPlan.split("  "));
    }
}
